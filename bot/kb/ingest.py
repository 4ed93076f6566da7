"""Adds another article (plain text, Markdown or HTML) to the knowledge base.

The article is split into sections (headings) and passages (paragraphs, long
ones cut at sentence ends), stored with its source, and indexed. Answers from
it quote the passage and cite the article and section.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.kb import index
from bot.kb.schema import Passage, Section, Source

MAX_PASSAGE_WORDS = 80
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'])")


@dataclass
class Article:
    title: str
    sections: list[tuple[str, list[str]]] = field(default_factory=list)


class _HTMLArticle(HTMLParser):
    BLOCKS = {"p", "li", "blockquote", "dd", "td"}
    HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
    SKIP = {"script", "style", "nav", "footer", "header", "noscript", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []  # (heading|para|title, text)
        self._buf: list[str] = []
        self._kind: str | None = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skip += 1
        elif tag in self.HEADINGS or tag in self.BLOCKS or tag == "title":
            self._flush()
            self._kind = (
                "title"
                if tag == "title"
                else "heading"
                if tag in self.HEADINGS
                else "para"
            )
        elif tag == "br":
            self._buf.append(" ")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in self.HEADINGS or tag in self.BLOCKS or tag == "title":
            self._flush()

    def handle_data(self, data):
        if not self._skip:
            self._buf.append(data)

    def _flush(self):
        text = " ".join("".join(self._buf).split())
        if text:
            self.blocks.append((self._kind or "para", text))
        self._buf, self._kind = [], None

    def close(self):
        super().close()
        self._flush()


def _looks_like_heading(line: str, nxt: str | None) -> bool:
    words = line.split()
    return (
        0 < len(words) <= 10
        and not line.rstrip().endswith((".", "!", "?", ",", ";", ":"))
        and nxt is not None
    )


def parse(text: str, fmt: str) -> Article:
    blocks: list[tuple[str, str]] = []
    if fmt == "html":
        parser = _HTMLArticle()
        parser.feed(text)
        parser.close()
        blocks = parser.blocks
    else:
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        for i, para in enumerate(paragraphs):
            lines = [line.strip() for line in para.splitlines() if line.strip()]
            if fmt == "markdown" and lines[0].startswith("#"):
                blocks.append(("heading", lines[0].lstrip("#").strip()))
                lines = lines[1:]
            elif fmt == "text" and len(lines) == 1:
                nxt = paragraphs[i + 1] if i + 1 < len(paragraphs) else None
                if _looks_like_heading(lines[0], nxt):
                    blocks.append(("heading", lines[0]))
                    continue
            if lines:
                body = " ".join(lines)
                if fmt == "markdown":
                    body = re.sub(r"[*_`]|!?\[([^\]]*)\]\([^)]*\)", r"\1", body)
                    body = re.sub(r"^[-+] ", "", body)
                blocks.append(("para", body))
    title = next((t for k, t in blocks if k == "title"), None)
    if title is None:
        title = next((t for k, t in blocks if k == "heading"), "Untitled article")
    article = Article(title=title)
    current, paras = "Introduction", []
    for kind, body in blocks:
        if kind == "title" or (kind == "heading" and body == title and not paras):
            continue
        if kind == "heading":
            if paras:
                article.sections.append((current, paras))
            current, paras = body, []
        else:
            paras.extend(_chunks(body))
    if paras:
        article.sections.append((current, paras))
    return article


def _chunks(paragraph: str) -> list[str]:
    sentences = _SENTENCE_END.split(paragraph)
    out, cur = [], []
    for sentence in sentences:
        if cur and len(" ".join(cur + [sentence]).split()) > MAX_PASSAGE_WORDS:
            out.append(" ".join(cur))
            cur = []
        cur.append(sentence)
    if cur:
        out.append(" ".join(cur))
    return out


def detect_format(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix in {".html", ".htm"} or re.search(r"<(html|body|p|h[1-6])\b", text, re.I):
        return "html"
    if suffix in {".md", ".markdown"}:
        return "markdown"
    return "text"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:60] or "article"


def ingest(
    session: Session,
    path: Path,
    title: str | None = None,
    publisher: str = "",
    key: str | None = None,
) -> Source:
    """Store (or replace) an article and re-index. Returns its source row."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    article = parse(raw, detect_format(path, raw))
    if title:
        article.title = title
    key = key or slug(article.title)
    source = session.execute(
        select(Source).where(Source.key == key)
    ).scalar_one_or_none()
    if source is not None and source.origin == "seed":
        raise ValueError(f"{key!r} is a shipped source; choose another --key")
    if source is not None:  # re-ingesting replaces the old passages
        session.delete(source)
        session.flush()
    source = Source(
        key=key,
        title=article.title,
        publisher=publisher,
        date_read=dt.date.today().isoformat(),
        origin="ingested",
    )
    session.add(source)
    session.flush()
    position = 0
    for s_pos, (heading, paragraphs) in enumerate(article.sections, start=1):
        section = Section(source_id=source.id, title=heading[:300], position=s_pos)
        session.add(section)
        session.flush()
        for para in paragraphs:
            position += 1
            session.add(
                Passage(
                    source_id=source.id,
                    section_id=section.id,
                    position=position,
                    text=para,
                )
            )
    session.flush()
    index.rebuild(session)
    return source
