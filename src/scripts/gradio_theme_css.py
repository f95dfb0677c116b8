"""Writes the stylesheet a Gradio server answers at /theme.css, using Gradio's own theme code.

Usage: python3 gradio_theme_css.py WHEEL_DIR > theme.css
  WHEEL_DIR: a folder holding the unpacked `gradio/themes/` package of a gradio wheel (and, for 6.x, which picks
  font weights by the files it finds, `gradio/templates/frontend/static/fonts/`).

A Gradio server makes /theme.css at start from its theme object (`Base._get_theme_css()`: font faces, the variables
under `:root`, the dark ones under `:root .dark`). Running that code, rather than writing the variables out by hand,
keeps the served stylesheet equal to the one the same Gradio version serves. Only the themes sub-package is
imported: `gradio/__init__.py` (which would import the whole framework) is skipped by registering a bare `gradio`
package, and the few modules the theme code imports only for publishing themes to the Hub are stood in for when
they are missing, so the standard library is enough.
"""

import importlib
import importlib.util
import sys
import types
from pathlib import Path


def bare_package(name: str, folder: Path) -> None:
    """Registers the package without running its __init__.py; its file location still answers
    importlib.resources (6.x looks up the bundled fonts through it)."""
    spec = importlib.util.spec_from_file_location(name, folder / "__init__.py",
                                                  submodule_search_locations=[str(folder)])
    sys.modules[name] = importlib.util.module_from_spec(spec)


def stand_in(name: str, **attrs) -> None:
    """Registers an empty module unless the real one imports: the theme code needs these names only for the Hub."""
    try:
        importlib.import_module(name)
    except ImportError:
        module = types.ModuleType(name)
        module.__dict__.update(attrs)
        sys.modules[name] = module


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: gradio_theme_css.py WHEEL_DIR")
    root = Path(sys.argv[1]) / "gradio"
    if not (root / "themes" / "default.py").is_file():
        sys.exit(f"no gradio/themes/default.py under {sys.argv[1]}")
    bare_package("gradio", root)
    stand_in("semantic_version")
    stand_in("huggingface_hub", CommitOperationAdd=object)
    stand_in("gradio_client")
    stand_in("gradio_client.documentation", document=lambda *a, **k: (lambda f: f))
    from gradio.themes.default import Default  # noqa: E402 (needs the registrations above)

    sys.stdout.write(Default()._get_theme_css())


if __name__ == "__main__":
    main()
