"""mkdocs-macros adapter: declares the macros that hand-written pages may call.

Pages opt in with `render_macros: true` in their front matter. Loading,
checking and rendering live in the `handbook` package, where each macro is
registered (handbook.registry.macro); this file only wires them to MkDocs.
"""
import functools
from pathlib import Path

from handbook import registry
from handbook.content import load_cached


def define_env(env):
    root = Path(env.conf.config_file_path).parent
    lang = env.conf.theme.get("language") or "sv"  # one build per language: its pages get that language

    def handbook():
        result = load_cached(root)
        if not result.ok:  # the hook reports the problems; a macro never renders bad content
            raise RuntimeError("the content has problems: run `make validate`")
        return result.handbook

    def bind(function):
        @functools.wraps(function)
        def call(*args, **kwargs):
            try:
                result = registry.call(function, handbook(), *args, lang=lang, **kwargs)
                page = getattr(env, "page", None)
                if page is not None and getattr(page, "file", None) is not None:
                    registry.called(page.file.src_uri, function.__name__, args, kwargs, result)
                return result
            except Exception as error:  # the build stops; the message names the macro and its arguments
                shown = ", ".join([repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()])
                raise RuntimeError(f"the macro {function.__name__}({shown}) failed: {error}") from error
        return call

    for name, function in registry.MACROS.items():
        env.macro(bind(function), name)
