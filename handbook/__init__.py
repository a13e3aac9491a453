"""Vägar in: load, check, model and render the handbook's content.

Nothing in this package imports MkDocs: the site adapters (``macros.py`` and
``hooks/``) are thin layers on top, so another site engine could reuse it.
"""
