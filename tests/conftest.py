from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from booksmith.pipeline import BuildOptions, BuildResult, build

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "manuscripts" / "the-lighthouse-keepers-daughter.md"
CORPUS = ROOT.parent / "shared" / "corpus"


def corpus_file(name: str) -> Path:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"{path} is not here (../shared is absent)")
    return path


@pytest.fixture(scope="session", autouse=True)
def own_build_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Builds in the tests use a build cache of their own, empty at the start of each session: never
    the cache of the person running them, whose entries would make a build take no time at all."""
    before = os.environ.get("BOOKSMITH_CACHE_DIR")
    os.environ["BOOKSMITH_CACHE_DIR"] = str(tmp_path_factory.mktemp("build-cache"))
    yield
    if before is None:
        os.environ.pop("BOOKSMITH_CACHE_DIR", None)
    else:
        os.environ["BOOKSMITH_CACHE_DIR"] = before


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(SAMPLE, BuildOptions(out_dir=tmp_path_factory.mktemp("sample")))


@pytest.fixture(scope="session")
def novel_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    novel = corpus_file("pride-and-prejudice.md")
    return build(novel, BuildOptions(out_dir=tmp_path_factory.mktemp("novel")))


def fake_cmyk_icc(path: Path) -> Path:
    """A bare ICC header saying CMYK output profile: enough to be recognised and embedded."""
    header = bytearray(128)
    header[0:4] = (132).to_bytes(4, "big")
    header[12:16] = b"prtr"
    header[16:20] = b"CMYK"
    header[20:24] = b"Lab "
    header[36:40] = b"acsp"
    path.write_bytes(bytes(header) + (0).to_bytes(4, "big"))
    return path
