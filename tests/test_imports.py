import subprocess
import sys


def test_core_never_imports_streamlit():
    code = (
        "import sys, core, core.data, core.text, core.catalog, core.registry, core.evaluation, "
        "core.inference, core.cli, core.training.runner, core.encoders.base, core.encoders.bow_mlp, "
        "core.encoders.rbf, core.encoders.transformer, core.encoders.baseline;"
        "print('streamlit' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_import_core_is_light():
    # `import core` alone must not pull torch or pandas: the app's first page stays fast.
    code = "import sys, core; print(sorted(m for m in ('torch', 'pandas', 'sklearn') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_command_line_s_help_loads_neither_torch_nor_pandas():
    """``python -m core --help`` took 1.5 s: its parser imported the encoder names from a module that loads torch."""
    code = (
        "import sys, core.cli; core.cli.build_parser(); "
        "print(sorted(m for m in ('torch', 'pandas', 'sklearn') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
