"""File storage: opaque keys, nothing left behind on a refused file, no path tricks."""

import io

import pytest

from lms.core import storage


def test_files_are_stored_under_opaque_keys_and_read_back(app):
    key = storage.save(b"%PDF-1.4 certificate")
    assert len(key) == 32 and "/" not in key
    assert storage.exists(key)
    with storage.open(key) as handle:
        assert handle.read() == b"%PDF-1.4 certificate"
    assert storage.path(key).is_relative_to(app.config["STORAGE_DIR"])
    storage.delete(key)
    assert not storage.exists(key)
    storage.delete(key)  # deleting twice is harmless


def test_a_stream_over_the_limit_leaves_nothing(app, tmp_path):
    with app.test_request_context(), pytest.raises(storage.TooLarge):
        storage.save(io.BytesIO(b"x" * 2048), max_bytes=1024)
    root = tmp_path / "storage"
    assert not root.exists() or not [p for p in root.rglob("*") if p.is_file()]


@pytest.mark.parametrize("key", ["../../etc/passwd", "ab/../cd", "", "A" * 32, None])
def test_keys_that_are_not_storage_keys_are_refused(app, key):
    assert not storage.exists(key)
    with pytest.raises(ValueError):
        storage.path(key)
