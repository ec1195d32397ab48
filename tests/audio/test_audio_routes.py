"""GET /audio/<name>: the MP3s Alexa fetches, with caching, ranges and no way to reach other files."""
from __future__ import annotations

import flask
import pytest

from skill.audio.manifest import AudioSet, ManifestError
from skill.coach.speech import CountIn
from skill.web.audio_routes import audio_blueprint


@pytest.fixture
def served(small_dir):
    (small_dir / "secret.txt").write_text("not for you")
    app = flask.Flask("test")
    app.register_blueprint(audio_blueprint(small_dir))
    name = AudioSet.load(small_dir).filename_for(CountIn())
    return app.test_client(), small_dir, name


def test_a_listed_file_is_served_as_mp3_with_long_caching(served):
    client, folder, name = served
    response = client.get(f"/audio/{name}")
    assert response.status_code == 200
    assert response.mimetype == "audio/mpeg"
    assert response.data == (folder / name).read_bytes()
    assert response.headers["ETag"].strip('"') == AudioSet.load(folder).by_name(name).sha256
    cache = response.cache_control
    assert cache.max_age >= 365 * 24 * 3600 and cache.immutable and cache.public
    assert response.headers["Accept-Ranges"] == "bytes"


def test_a_cached_copy_is_confirmed_with_304(served):
    client, _, name = served
    etag = client.get(f"/audio/{name}").headers["ETag"]
    again = client.get(f"/audio/{name}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""


def test_range_requests_get_206(served):
    client, folder, name = served
    size = (folder / name).stat().st_size
    response = client.get(f"/audio/{name}", headers={"Range": "bytes=100-243"})
    assert response.status_code == 206
    assert response.data == (folder / name).read_bytes()[100:244]
    assert response.headers["Content-Range"] == f"bytes 100-243/{size}"


@pytest.mark.parametrize("path", [
    "/audio/countin-000000000000.mp3",      # well-formed but not in the manifest
    "/audio/manifest.json",
    "/audio/secret.txt",
    "/audio/..%2Fmanifest.json",
    "/audio/..%2F..%2Fetc%2Fpasswd",
    "/audio/%2E%2E/secret.txt",
    "/audio/",
])
def test_anything_not_in_the_manifest_is_404(served, path):
    client, _, _ = served
    assert client.get(path).status_code == 404


def test_a_listed_file_missing_from_disk_is_404_not_500(served):
    client, folder, name = served
    (folder / name).unlink()
    assert client.get(f"/audio/{name}").status_code == 404


def test_no_manifest_fails_at_start_up(tmp_path):
    with pytest.raises(ManifestError, match="run `backcoach audio build`"):
        audio_blueprint(tmp_path)
