"""Collections: published stories of one's subtree only; the PDF (cover, contents, a page per
story, page numbers) and the EPUB are made by the task, with progress."""

from __future__ import annotations

import shutil
import subprocess
import zipfile

import pytest

from lms.core import storage
from lms.errors import Invalid
from lms.publicity import services
from lms.publicity.models import BookStatus
from tests.publicity.conftest import published


@pytest.fixture
def two_published(world, column, draft):
    published(world, draft)
    second = services.create_story(
        world["editor"],
        column=column,
        person=world["hero"],
        title="第二篇：师徒",
        body="## 传帮带\n\n他带出了五名技师。",
    )
    published(world, second)
    return [draft, second]


def test_only_published_stories_in_scope(world, column, two_published):
    draft = services.create_story(
        world["editor"], column=column, person=world["hero"], title="草稿", body="b"
    )
    with pytest.raises(Invalid) as refused:
        services.create_collection(world["editor"], title="工匠", story_ids=[draft.id])
    assert "story_ids" in refused.value.errors
    with pytest.raises(Invalid) as refused:
        services.create_collection(
            world["other_editor"], title="工匠", story_ids=[two_published[0].id]
        )
    assert "story_ids" in refused.value.errors
    with pytest.raises(Invalid) as refused:
        services.create_collection(world["editor"], title=" ", story_ids=[])
    assert set(refused.value.errors) == {"title", "story_ids"}


def _pages(path) -> list[str]:
    """The PDF's text, page by page (poppler's pdftotext, as the certificates' tests read)."""
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext (poppler-utils) is needed to read the collection PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")[:-1]


def test_the_task_makes_a_pdf_and_an_epub(world, two_published):
    ids = [s.id for s in reversed(two_published)]
    collection = services.create_collection(
        world["editor"], title="《工匠》", subtitle="三十位首席技师的故事", story_ids=ids
    )
    services.build_collection(collection.id)  # what the task runs (eager in tests too)
    assert collection.status == BookStatus.done and collection.progress == 100
    pages = _pages(storage.path(collection.pdf_key))
    assert len(pages) == 4  # cover, contents, one page per story
    assert "《工匠》" in pages[0]
    contents = pages[1]
    assert contents.index("第二篇：师徒") < contents.index("焊花里的青春")  # the chosen order
    assert contents.split("焊花里的青春")[1].split()[0] == "4"  # its page in the contents
    assert pages[3].split()[-1] == "4"  # page number in the footer
    with zipfile.ZipFile(storage.path(collection.epub_key)) as book:
        names = book.namelist()
        assert "mimetype" in names
        chapter = book.read(next(n for n in names if n.endswith("story-1.xhtml"))).decode()
    assert "第二篇：师徒" in chapter and "<h2>传帮带</h2>" in chapter


def test_pages_show_progress_and_serve_the_files(client, auth, world, two_published):
    auth.login(world["editor"])
    answer = client.post(
        "/publicity/collections",
        data={"title": "工匠", "story_ids": [str(two_published[0].id)]},
    )
    assert answer.status_code == 302
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "下载 PDF" in page  # eager in tests: already made
    pdf = client.get(answer.headers["Location"] + "/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    epub = client.get(answer.headers["Location"] + "/epub")
    assert epub.headers["Content-Type"] == "application/epub+zip"
