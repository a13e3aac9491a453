"""mkdocs-macros adapter: declares the macros that hand-written pages may call.

Pages opt in with `render_macros: true` in their front matter. Loading,
checking and rendering live in the `handbook` package; this file only wires.
"""
from pathlib import Path

from handbook import pages
from handbook.content import load_cached


def define_env(env):
    root = Path(env.conf.config_file_path).parent

    def handbook():
        result = load_cached(root)
        if not result.ok:  # the hook reports the problems; a macro never renders bad content
            raise RuntimeError("the content has problems: run `make validate`")
        return result.handbook

    @env.macro
    def count(kind: str) -> str:
        return pages.count(handbook(), kind)

    @env.macro
    def county_table() -> str:
        return pages.county_table(handbook())

    @env.macro
    def term_list(taxonomy: str, descriptions: bool = True) -> str:
        return pages.term_list(handbook(), taxonomy, descriptions)

    @env.macro
    def taxonomy_index() -> str:
        return pages.taxonomy_index(handbook())

    @env.macro
    def data_downloads() -> str:
        return pages.data_downloads(handbook())
