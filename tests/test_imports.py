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


def test_telling_a_run_of_an_earlier_import_loads_no_torch(tmp_path):
    """The sidebar asks it on every page, the first included: it went through the training code's
    fingerprint, which imports torch (1.3 s)."""
    code = f"""
import os, sys
os.environ["ENCODER_STUDIO_HOME"] = {str(tmp_path)!r}
import pandas as pd
from core.registry import DatasetStore
from ui.caveats import trained_on_earlier_import
frame = pd.DataFrame({{"text": ["a text", "b text", "c text", "d text"], "label": ["a", "b", "a", "b"],
                       "split": ["train", "train", "test", "test"]}})
info = DatasetStore().save(frame, "d", "test", {{}}, dataset_id="d")
class Run:
    def __init__(self, fingerprint):
        self.fingerprint = fingerprint
    def config(self):
        return {{"created": 0.0, "data_fingerprint": self.fingerprint, "task": "classify"}}
from core.data import learned_rows, rows_fingerprint
same = rows_fingerprint(learned_rows(frame, True), info.labels)
print(trained_on_earlier_import(Run("0" * 20), info), trained_on_earlier_import(Run(same), info),
      "torch" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "True False False", out.stderr[-2000:]
