import pytest

from core.errors import InvalidNameError
from core.storage import atomic_write_json, read_json, safe_child, slugify, validate_id


@pytest.mark.parametrize("bad", ["", "../x", "a/b", ".hidden", "a..b", "x" * 81, "名字", "a b", "r1\n"])
def test_validate_id_rejects_unsafe(bad):
    with pytest.raises(InvalidNameError, match="not valid"):
        validate_id(bad)


def test_validate_id_accepts_plain():
    assert validate_id("bow_mlp-2026.1") == "bow_mlp-2026.1"


def test_safe_child_stays_inside(tmp_path):
    assert safe_child(tmp_path, "a", "b") == (tmp_path / "a" / "b").resolve()
    with pytest.raises(InvalidNameError, match="escapes"):
        safe_child(tmp_path, "..", "etc")


def test_slugify_makes_safe_ids():
    assert slugify("My data (v2).csv") == "My-data-v2-.csv"
    assert slugify("中文.csv") == "csv"
    # digits are all that is left of a Chinese name: the fallback reads better than an id like "120-…"
    assert slugify("中文预训练 120秒", "transformer") == "transformer" and slugify("2024") == "2024"
    assert slugify("词袋MLP", "bow_mlp") == "MLP"
    assert validate_id(slugify("../../etc/passwd"))
    # a name the studio turns into an id must be an id the studio accepts (issue 11, item 9)
    from core.registry import new_id

    assert slugify("v1..2") == "v1.2"
    for name in ("v1..2", "a...b", "..", "x" * 60 + "..csv", "-._name._-"):
        assert validate_id(new_id(name))


def test_atomic_json_round_trip_and_no_temp_left(tmp_path):
    target = tmp_path / "sub" / "x.json"
    atomic_write_json(target, {"a": "中文", "b": [1, 2]})
    assert read_json(target) == {"a": "中文", "b": [1, 2]}
    assert [p.name for p in target.parent.iterdir()] == ["x.json"]


def test_files_written_atomically_get_the_mode_a_plain_open_would_give(tmp_path):
    """mkstemp's 0600 made an exported model zip or a predictions CSV private to the writer alone."""
    import os

    from core.storage import atomic_save, atomic_write_text

    umask = os.umask(0)
    os.umask(umask)
    atomic_write_text(tmp_path / "a.csv", "x")
    atomic_save(tmp_path / "b.zip", lambda tmp: tmp.write_bytes(b"PK"))
    with open(tmp_path / "plain.txt", "w") as handle:
        handle.write("x")
    modes = {(tmp_path / name).stat().st_mode & 0o777 for name in ("a.csv", "b.zip", "plain.txt")}
    assert modes == {0o666 & ~umask}, [oct(m) for m in modes]


def test_a_download_is_named_after_the_uploaded_file_in_its_own_script():
    from core.storage import download_stem

    assert download_stem("客户评论.csv") == "客户评论"
    assert download_stem("../../etc/passwd") == "passwd" and download_stem("C:\\data\\hotel.xlsx") == "hotel"
    assert download_stem('bad<>:"|?*\x00name.csv') == "bad-name"
    assert download_stem(" .csv ") == "texts" and download_stem("   ") == "texts" and download_stem("...") == "texts"
    assert len(download_stem("长" * 300 + ".txt")) == 80
    assert download_stem("invoice\u202etxt.exe.csv") == "invoicetxt.exe"  # no right-to-left override


def test_temporary_files_a_killed_writer_left_are_swept_once_stale(tmp_path):
    """A kill during a checkpoint write left ".state.pt.6v1n4xl1.pt" (50 MB) in the run for good."""
    import os
    import time

    from core.storage import STALE_TEMP_S, sweep_stale_temps

    checkpoint = tmp_path / "checkpoints"
    checkpoint.mkdir()
    left = checkpoint / ".state.pt.6v1n4xl1.pt"
    fresh = tmp_path / ".eval.json.ab12cd34.tmp"  # a write under way: left alone
    mine = tmp_path / ".gitkeep"  # not a temporary file's name
    for path in (left, fresh, mine):
        path.write_bytes(b"x")
    old = time.time() - STALE_TEMP_S - 10
    os.utime(left, (old, old))
    os.utime(mine, (old, old))
    assert sweep_stale_temps(tmp_path) == 1
    assert not left.exists() and fresh.exists() and mine.exists()


def test_a_large_file_is_on_the_disk_before_it_takes_its_name(tmp_path, monkeypatch):
    """A code review: atomic_save (data.parquet, weights, checkpoints) renamed without an fsync, unlike
    atomic_write_bytes, so after a power cut the rename could stand while the data did not."""
    import os

    from core.storage import atomic_save

    done = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        done.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        return real_fsync(fd)

    def replace(src, dst):
        done.append(("replace", str(src)))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    target = tmp_path / "data.parquet"
    atomic_save(target, lambda tmp: tmp.write_bytes(b"rows"))
    assert target.read_bytes() == b"rows"
    ((_, renamed),) = [step for step in done if step[0] == "replace"]
    assert done.index(("fsync", renamed)) < done.index(("replace", renamed)), done
    assert done[-1] == ("fsync", str(tmp_path)), done  # the rename itself, in its folder


def test_numpy_s_short_write_reads_as_a_full_disk():
    """np.save into a real file on a full disk raises a bare OSError (no errno), "358848 requested and 75744
    written": building a search index said that, and nothing of a full disk."""
    from core.storage import is_disk_full

    assert is_disk_full(OSError("358848 requested and 75744 written"))
    assert not is_disk_full(OSError("Permission denied"))


def test_a_change_cut_short_is_not_said_to_have_changed_nothing(tmp_path):
    """A class rename (a journal, then the files one by one) or a dataset deleted with its runs, stopped by a
    full disk half-way, was told "so nothing was changed" with part of it done."""
    import errno

    import pytest

    from core.errors import StudioError
    from core.storage import changing_home

    for whole, said in ((True, "so nothing was changed"), (False, "so the change was cut short")):
        with pytest.raises(StudioError, match=said), changing_home(tmp_path, whole=whole):
            raise OSError(errno.ENOSPC, "No space left on device")
