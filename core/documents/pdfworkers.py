"""HTML to PDF for big tables: WeasyPrint in worker subprocesses, then one merged, numbered file.

WeasyPrint is single-threaded and costs several ms of CPU a table row, so a 5,000-row appendix is
laid out as several HTML documents (chunks) by a few worker processes at once. The workers are plain
`subprocess` children running this module's _worker_main (WORKER_COMMAND), never
`multiprocessing`: extracts are generated inside Celery prefork workers, which are daemonic and
may not have multiprocessing children. A worker imports only WeasyPrint (no Django) and renders
the documents it is sent, one after another, so each pays WeasyPrint's import once:

    parent -> worker: 8-byte big-endian chunk number and 8-byte length, then that many bytes of UTF-8 HTML
    worker -> parent: 8-byte big-endian length, then that many bytes of PDF

A worker exits 0 at end of input; on any error it writes a traceback to stderr and exits 1. It also
exits soon after its parent dies, since its stdin then closes.

Chunks know nothing of each other, so "Page X of Y" is stamped onto the merged pages afterwards as a
few bytes of content stream in a standard PDF font (no overlay PDF per page, no layout), marked as a
pagination artifact so that screen readers skip it.

Tagged (PDF/UA-1, for the panel papers published on council websites): every chunk is rendered with
WeasyPrint's structure tree (headings, paragraphs, Table/THead/TBody/TR/TH/TD), and merging joins the
chunks' trees into one (pikepdf): one Document element with every chunk's elements in order, one
ParentTree with each chunk's keys moved past the previous chunks' pages, one IDTree. Each chunk's table
headers are readied as WeasyPrint writes the chunk (mark_table_headers, in the worker): IDs made unique
across chunks, every TH given /Scope /Column, the TDs' /Headers to match. Language, title and DisplayDocTitle
come from the first chunk (WeasyPrint sets them for tagged output) and are set again here.

Reproducible: fontTools, which WeasyPrint uses to subset fonts when HarfBuzz-subset is missing and
to save variable and emoji fonts, writes the current time into each embedded font's `head` table,
so two renders a second apart differed in a few bytes of the font stream near the end of the file
(and so in the offsets after it). fontTools takes SOURCE_DATE_EPOCH instead of the clock when it is
set, so every render sets it to the document's own date: in the workers' environment, and around
WeasyPrint's work in this process.

This module imports nothing from Django, so the worker starts quickly and needs no settings.
"""

from __future__ import annotations

import functools
import gc
import io
import os
import selectors
import struct
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the project root (settings.BASE_DIR): the workers' cwd
# Not `python -m` this module: core.documents (its package, imported first) imports it already, and
# running a second copy as __main__ beside the first made Python warn on every start.
WORKER_COMMAND = [
    sys.executable,
    "-c",
    "from core.documents.pdfworkers import _worker_main; raise SystemExit(_worker_main())",
]
_HEADER = struct.Struct(">Q")  # a PDF's length
_REQUEST = struct.Struct(">QQ")  # a document's chunk number and length

# The stamped page number: 8 pt Helvetica, #505a5f, right-aligned at the 12 mm page margin, on the
# baseline WeasyPrint gives the @bottom-left footer (vertically centred in the 16 mm bottom margin).
STAMP_FONT = "/TablePageNo"
STAMP_SIZE = 8
STAMP_COLOUR = (0x50 / 255, 0x5A / 255, 0x5F / 255)
STAMP_RIGHT = 12 * 72 / 25.4  # points from the right edge
STAMP_BASELINE = 19.8  # points from the bottom edge
# Helvetica advance widths (1/1000 em) of what "Page 12 of 340" uses; others count as a digit.
_HELVETICA_WIDTHS = {" ": 278, "P": 667, "a": 556, "g": 556, "e": 556, "o": 556, "f": 278}
_DIGIT_WIDTH = 556


class PdfRenderError(RuntimeError):
    """A PDF worker failed; the message is the last line of its stderr."""


# The rules of WeasyPrint's HTML5 user-agent stylesheet (weasyprint/css/html5_ua.css) for the elements
# the table template (templates/core/documents/table.html) uses (USED_ELEMENTS), and nothing else.
# Matching every element against the whole of it (some 250 rules, many tried on every element) is over
# a tenth of WeasyPrint's work on this table; the file is the same byte for byte (a test checks). It
# is swapped in by overriding HTML._ua_stylesheets, a private method of WeasyPrint 70: were it
# renamed, the full stylesheet would apply again, slower but with the same result.
USER_AGENT_CSS = """
html, body, h1, h2, p { display: block }
head, meta, style, title { display: none }
body { margin: 8px }
h1 { margin-top: .67em; margin-bottom: .67em; font-size: 2em; font-weight: bold; bookmark-level: 1;
     bookmark-label: content(text); hyphens: manual; break-after: avoid; break-inside: avoid }
h2 { margin-top: .83em; margin-bottom: .83em; font-size: 1.5em; font-weight: bold; bookmark-level: 2;
     bookmark-label: content(text); hyphens: manual; break-after: avoid; break-inside: avoid }
p { margin-top: 1em; margin-bottom: 1em }
table { display: table; border-spacing: 2px; border-collapse: separate; box-sizing: border-box;
        text-indent: initial }
thead { display: table-header-group; vertical-align: middle }
tbody { display: table-row-group; vertical-align: middle }
tr { display: table-row; vertical-align: inherit }
td, th { display: table-cell; vertical-align: inherit; padding: 1px }
table, td, th { border-color: gray }
thead, tbody, tr { border-color: inherit }
th { font-weight: bold }
br::before { content: "\\A"; white-space: pre-line }
@page { margin: 75px;
  @top-left { text-align: left; vertical-align: middle }
  @top-center { text-align: center; vertical-align: middle }
  @top-right { text-align: right; vertical-align: middle }
  @bottom-left { text-align: left; vertical-align: middle }
  @bottom-center { text-align: center; vertical-align: middle }
  @bottom-right { text-align: right; vertical-align: middle } }
"""
USED_ELEMENTS = frozenset("html head title meta style body h1 h2 p table thead tbody tr th td br".split())


@functools.cache
def _html_class() -> type:
    """WeasyPrint's HTML with USER_AGENT_CSS as its user-agent stylesheet, made from a string of markup.

    Markup that is also well-formed XML (the table template's: self-closed void elements, every text
    escaped) is parsed by the standard library's expat-based ElementTree, in C: some 3 ms for a chunk
    of 700 rows where WeasyPrint's pure-Python HTML5 parser (tinyhtml5) takes over 100 ms, a twentieth
    of the chunk's rendering. Both give the same tree for such markup, and so the same PDF to the byte
    (a test checks). Anything else, including text with characters XML cannot hold, goes to the HTML5
    parser as WeasyPrint would. Setting up the instance without HTML.__init__ relies on WeasyPrint
    70's attributes (base_url, url_fetcher, media_type, wrapper_element, etree_element); were they
    renamed, rendering would fail loudly, not quietly differ."""
    from xml.etree import ElementTree

    import cssselect2
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    user_agent = CSS(string=USER_AGENT_CSS)

    class TableHTML(HTML):
        def __init__(self, string: str) -> None:
            try:
                root = ElementTree.fromstring(string)  # noqa: S314 - our own template's markup, every text escaped
            except ElementTree.ParseError:
                super().__init__(string=string)
                return
            self.base_url = None  # as HTML(string=...) without <base>
            self.url_fetcher = URLFetcher()
            self.media_type = "print"
            self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
            self.etree_element = self.wrapper_element.etree_element

        def _ua_stylesheets(self, forms: bool = False) -> list:
            return [user_agent]

    return TableHTML


_EPOCH_LOCK = threading.Lock()


@contextmanager
def source_date_epoch(epoch: int | None) -> Iterator[None]:
    """SOURCE_DATE_EPOCH set to `epoch` for what runs inside (one thread at a time), then restored."""
    if epoch is None:
        yield
        return
    with _EPOCH_LOCK:
        before = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
        try:
            yield
        finally:
            if before is None:
                del os.environ["SOURCE_DATE_EPOCH"]
            else:
                os.environ["SOURCE_DATE_EPOCH"] = before


# What every chunk is rendered with: a structure tree, PDF/UA-1 (PDF 1.7, its XMP identification).
TAGGED = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}
# What a chunk for merge_and_number is rendered with: tagged, and uncompressed. Compressing, pydyf
# gathers the chunk's thousands of small objects (the structure tree's elements) into object streams in
# Python, a tenth of the chunk's rendering; merging rewrites every object anyway, and QPDF compresses
# the streams and makes the object streams in C++ for a few hundredths of a second a chunk.
CHUNK = {**TAGGED, "uncompressed_pdf": True}


def render_html(html: str, epoch: int | None = None, chunk: int | None = None, **options) -> bytes:
    """One HTML document (using only USED_ELEMENTS) to PDF bytes, in this process; any time written
    into the file (the fonts' `head.modified`) is `epoch`. `options` go to WeasyPrint's write_pdf
    (e.g. **TAGGED, pdf_identifier=b"..."). A `chunk` number readies a tagged chunk for
    merge_and_number (see mark_table_headers)."""
    if chunk is not None:
        options["finisher"] = finish_chunk(chunk)
    with source_date_epoch(epoch):
        return _html_class()(html).write_pdf(**options)


def finish_chunk(chunk: int) -> Callable:
    """The WeasyPrint finisher for chunk number `chunk` of a table: its cells' borders drawn
    (draw_cell_borders) and its table headers readied for merging (mark_table_headers)."""
    mark = mark_table_headers(chunk)

    def finish(document, pdf) -> None:
        draw_cell_borders(document, pdf)
        mark_cell_text(pdf)
        mark(document, pdf)

    return finish


def mark_cell_text(pdf) -> None:
    """Each table cell's text as the cell's own marked content: WeasyPrint tags every line of text in a
    cell as a Span element of its own (TD > Span > text); the Span says nothing a TD does not, so the
    cell's K lists the text's marked-content IDs itself (TD > text) and the page's ParentTree entry
    points at the cell. Half the structure tree's elements, so less for each chunk to write, and the
    merge copies a chunk's tree in 0.07 s instead of 0.12 s. A Span that is anything more (attributes, other
    kids, another page) is kept; the dropped ones are left as free objects, which the merge never
    copies. Relies on WeasyPrint 70's tags (pdf/tags.py): elements as pydyf dictionaries, kids as
    references or MCIDs, one ParentTree array of references a page; a test checks the tree."""
    import pydyf

    objects = pdf.objects
    cells = {}  # a dropped Span's reference -> its cell's
    for obj in objects:
        if not isinstance(obj, dict) or obj.get("S") not in ("/TD", "/TH"):
            continue
        kids = obj.get("K")
        if not kids:
            continue
        flat = []
        for kid in kids:
            if isinstance(kid, bytes):
                span = _deref(pdf, kid)
                if (
                    span.get("S") == "/Span"
                    and span.keys() <= _SPAN_KEYS
                    and span.get("Pg") == obj.get("Pg")
                    and len(span["K"]) == 1
                    and isinstance(span["K"][0], int)
                ):
                    flat.append(span["K"][0])
                    cells[kid] = obj.reference
                    span.free = "f"
                    continue
            flat.append(kid)
        obj["K"] = pydyf.Array(flat)
    if not cells:
        return
    nums = _deref(pdf, _deref(pdf, pdf.catalog["StructTreeRoot"])["ParentTree"])["Nums"]
    for i in range(1, len(nums), 2):
        if isinstance(nums[i], list):
            nums[i][:] = [cells.get(ref, ref) for ref in nums[i]]


_SPAN_KEYS = frozenset({"Type", "S", "K", "Pg", "P"})


def _deref(pdf, reference: bytes):
    """The pydyf object a reference (b"12 0 R", as WeasyPrint writes them) points at."""
    return pdf.objects[int(reference.split(b" ", 1)[0])]


# Every table cell's border (the table template's th and td have none in their CSS; their padding is
# this much more instead, so their text lays out the same): GRID_PT on each side, GRID_RGB.
GRID_PT = 0.25
GRID_RGB = (0x80 / 255, 0x80 / 255, 0x80 / 255)
_PX = 0.75  # points a CSS pixel


def draw_cell_borders(document, pdf) -> None:
    """Draw every table cell's border, on every page, as one path of rectangles a page (a marked
    artifact, as WeasyPrint marks borders), appended to the page's content.

    WeasyPrint draws each cell's border on its own, some 25 Python calls and a saved graphics state a
    cell: about 6 % of a chunk's rendering for a 7-column table. These rectangles are where WeasyPrint's
    0.25pt border would be (inside each cell's border box; two make the 0.5pt line between cells),
    under the same transform (WeasyPrint leaves each page's stream in points from the top left).

    A cell merged down over rows that go on to the next page is laid out by WeasyPrint one row tall
    and not at all on the next page, which left a gap in its column, unshaded and unruled, from there
    to the end of its rows. Here it reaches down to the page's last row, and the rows it still spans at
    the top of the next page get a rectangle of their own, both shaded as the cell is.

    Relies on WeasyPrint 70's page boxes (Page._page_box; rows' `index` in their group, cells'
    `grid_x`, `colspan`, `rowspan`; tables' `column_positions` and `column_widths`) and each page
    dictionary's single /Contents stream; tests check that the rectangles tile every page's table."""
    from weasyprint.formatting_structure import boxes

    carried: dict[tuple[int, int], tuple | None] = {}  # (row group, column) -> shading of a cell going on
    stroke = b"%s RG %.2f w" % (b" ".join(b"%.3f" % c for c in GRID_RGB), GRID_PT)
    kids = pdf.pages["Kids"]
    for page, number in zip(document.pages, kids[::3], strict=True):
        fills: list[bytes] = []
        rectangles: list[bytes] = []
        for table in _tables(page._page_box, boxes):
            _table_grid(table, carried, fills, rectangles)
        if not rectangles:
            continue
        contents = _deref(pdf, pdf.objects[number]["Contents"])
        contents.stream.append(b"/Artifact BMC q")
        contents.stream.extend(fills)
        contents.stream.append(stroke)
        contents.stream.append(b"\n".join(rectangles))
        contents.stream.append(b"S Q EMC")


def _table_grid(table, carried: dict, fills: list[bytes], rectangles: list[bytes]) -> None:
    """One table's part of a page: a rectangle a cell (to the end of the rows it spans here) and one
    a column's run of rows spanned by a cell begun on an earlier page; `carried` keeps, from page to
    page, which columns have a cell that goes on, and its shading."""
    half = GRID_PT / 2

    def rectangle(x: float, y: float, width: float, height: float) -> None:
        rectangles.append(
            b"%.3f %.3f %.3f %.3f re" % (x * _PX + half, y * _PX + half, width * _PX - GRID_PT, height * _PX - GRID_PT)
        )

    def fill(shade: tuple | None, x: float, y: float, width: float, height: float) -> None:
        if shade and height > 0:
            fills.append(
                b"%.3f %.3f %.3f rg %.3f %.3f %.3f %.3f re f" % (*shade, x * _PX, y * _PX, width * _PX, height * _PX)
            )

    for group in table.children:
        rows = group.children
        if not rows:
            continue
        # what goes on into this page, from the cells of this group still open at the end of the last
        key = id(group.element)  # the same element on every page the group is on
        incoming = {c: carried.pop((key, c)) for c in range(len(table.column_widths)) if (key, c) in carried}
        last = rows[-1].index
        bottom = {row.index: row.position_y + row.height for row in rows}
        covered = set()
        for row in rows:
            for cell in row.children:
                end = row.index + cell.rowspan - 1
                x, y, width = cell.border_box_x(), cell.border_box_y(), cell.border_width()
                own = y + cell.border_height()
                reach = max(own, bottom[min(end, last)])
                rectangle(x, y, width, reach - y)
                shade = _shade(cell)
                fill(shade, x, own, width, reach - own)
                columns = range(cell.grid_x, cell.grid_x + cell.colspan)
                covered.update((r, c) for r in range(row.index, min(end, last) + 1) for c in columns)
                if end > last:  # goes on to the next page
                    carried.update(((key, c), shade) for c in columns)
        # rows at the top of this page still spanned by a cell begun on an earlier page
        for c, shade in incoming.items():
            run = []
            for row in rows:  # from the top, until the column's next cell
                if (row.index, c) in covered:
                    break
                run.append(row)
            if not run:
                continue
            x, width = table.column_positions[c], table.column_widths[c]
            y, height = run[0].position_y, bottom[run[-1].index] - run[0].position_y
            fill(shade, x, y, width, height)
            rectangle(x, y, width, height)


def _shade(cell) -> tuple | None:
    """A cell's background colour as sRGB, or None if it has none."""
    colour = cell.style["background_color"]
    if getattr(colour, "alpha", 0) <= 0:
        return None
    return tuple(colour.to("srgb")[:3])


def _tables(box, boxes) -> Iterator:
    """The tables under `box`, without walking their contents."""
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.TableBox):
            yield child
        elif isinstance(child, boxes.BlockBox | boxes.PageBox):
            yield from _tables(child, boxes)


def mark_table_headers(chunk: int) -> Callable:
    """A WeasyPrint finisher for chunk number `chunk` of a tagged table: every TH scoped to its column
    and its ID prefixed "c<chunk>-" (WeasyPrint numbers them by the table's object number, the same
    in every chunk), every TD's /Headers to match, and the chunk's IDs in an IDTree, so that merging
    only has to join the trees. Done here, on WeasyPrint's own objects before they are written, it
    costs a few ms a chunk; walking every cell of the merged file with pikepdf took seconds."""

    def finish(document, pdf) -> None:
        import pydyf

        prefix = f"c{chunk}-"
        root = None
        ids = {}
        for obj in pdf.objects:
            if not isinstance(obj, dict):
                continue
            tag = obj.get("S")
            if tag == "/TH" or tag == "/TD":
                attributes = obj.get("A")
                if attributes is None:
                    attributes = obj["A"] = pydyf.Dictionary({"O": "/Table"})
                if tag == "/TH":
                    attributes["Scope"] = "/Column"
                    if "ID" in obj:
                        key = prefix + str(obj["ID"].string)
                        obj["ID"] = pydyf.String(key)
                        ids[key] = obj.reference
                elif "Headers" in attributes:
                    headers = attributes["Headers"]
                    attributes["Headers"] = pydyf.Array(pydyf.String(prefix + str(h.string)) for h in headers)
            elif obj.get("Type") == "/StructTreeRoot":
                root = obj
        if root is not None and ids:
            names = pydyf.Array()
            for key in sorted(ids, key=lambda k: k.encode()):
                names.extend((pydyf.String(key), ids[key]))
            root["IDTree"] = pydyf.Dictionary({"Names": names})

    return finish


# --- Workers ----------------------------------------------------------------------------------


class _Worker:
    """One worker child (WORKER_COMMAND) and the job it is on."""

    def __init__(self, epoch: int | None = None) -> None:
        self.stderr = tempfile.TemporaryFile()  # a file, not a pipe: a chatty child can never block on it
        env = None if epoch is None else {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
        self.proc = subprocess.Popen(  # noqa: S603 - our own interpreter and module, no shell
            WORKER_COMMAND,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            env=env,
        )
        self.job: int | None = None
        self.buffer = bytearray()

    def send(self, job: int, html: str) -> None:
        body = html.encode()
        self.job = job
        self.buffer = bytearray()
        try:
            # Blocks until the worker has read it all: it is idle, waiting for exactly this.
            self.proc.stdin.write(_REQUEST.pack(job, len(body)))
            self.proc.stdin.write(body)
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise self.failure() from None

    def receive(self) -> bytes | None:
        """Read what is there; the PDF once it is complete, else None."""
        chunk = os.read(self.proc.stdout.fileno(), 1 << 20)
        if not chunk:
            raise self.failure()
        self.buffer += chunk
        if len(self.buffer) < _HEADER.size:
            return None
        (size,) = _HEADER.unpack_from(self.buffer)
        if len(self.buffer) < _HEADER.size + size:
            return None
        if len(self.buffer) > _HEADER.size + size:
            raise PdfRenderError("PDF worker wrote more than one document")
        pdf = bytes(memoryview(self.buffer)[_HEADER.size :])
        self.job, self.buffer = None, bytearray()
        return pdf

    def failure(self) -> PdfRenderError:
        """The worker's exit, as an error carrying the last line it wrote to stderr."""
        try:
            code = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self.stderr.seek(0)
        lines = [line for line in self.stderr.read().decode(errors="replace").splitlines() if line.strip()]
        last = lines[-1].strip() if lines else "no output"
        return PdfRenderError(f"PDF worker exited with status {code}: {last}")

    def finish(self) -> None:
        """End of input: let it exit; kill it if it will not."""
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            code = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return
        if code:
            raise self.failure()

    def close(self) -> None:
        """Never leave a child running or unreaped, whatever happened (safe to call again)."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            try:
                pipe.close()
            except OSError:
                pass
        self.stderr.close()


def start_workers(workers: int, epoch: int | None = None) -> list[_Worker]:
    """`workers` worker processes, started now: each takes about half a second to import WeasyPrint,
    which overlaps whatever the caller does before handing them documents (render_in_workers)."""
    pool: list[_Worker] = []
    try:
        for _ in range(max(1, workers)):
            pool.append(_Worker(epoch))
    except BaseException:
        for worker in pool:
            worker.close()
        raise
    return pool


def render_in_workers(
    documents: Iterable[str],
    *,
    workers: int | list[_Worker],
    count: int,
    done: Callable[[int], None] = lambda _: None,
    epoch: int | None = None,
) -> Iterator[bytes]:
    """Render `count` HTML documents with `workers` children (a number, or the started workers of
    start_workers, which this then ends); yields the PDFs in document order, each as soon as it and
    those before it are done. Any time written into the files is `epoch` (seconds since 1970).

    `documents` is consumed lazily, one as each worker becomes free, so producing the next document
    overlaps with rendering the others; idle workers are given their next document before a PDF is
    yielded, so what the caller does with it (merging) overlaps with rendering too. `done(n)` is
    called as the n-th document finishes.
    """
    pool = workers if isinstance(workers, list) else start_workers(min(workers, count), epoch)
    results: list[bytes | None] = [None] * count
    pending = enumerate(documents)
    finished = given = 0
    with selectors.DefaultSelector() as selector:
        try:
            idle = list(pool)
            busy = 0
            while True:
                while idle:
                    job = next(pending, None)
                    if job is None:
                        break
                    worker = idle.pop()
                    worker.send(*job)
                    selector.register(worker.proc.stdout, selectors.EVENT_READ, worker)
                    busy += 1
                while given < count and results[given] is not None:
                    pdf, results[given] = results[given], None
                    given += 1
                    yield pdf  # type: ignore[misc]
                if not busy:
                    break
                for key, _ in selector.select():
                    worker = key.data
                    job = worker.job
                    pdf = worker.receive()
                    if pdf is not None:
                        selector.unregister(worker.proc.stdout)
                        results[job] = pdf
                        busy -= 1
                        finished += 1
                        idle.append(worker)
                        done(finished)
            for worker in pool:
                worker.finish()
        finally:
            for worker in pool:
                worker.close()
    if finished != count or given != count:
        raise PdfRenderError(f"{finished} of {count} PDF documents were rendered")


def _worker_main() -> int:
    """The child: render each HTML document read from stdin, write each PDF to stdout."""
    # Keep stdout for the protocol: anything else printed goes to stderr instead.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    source = sys.stdin.buffer
    _html_class()
    # WeasyPrint allocates millions of small objects. Collecting cycles as often as Python does by
    # default, through everything imported as well, costs several per cent; collect once a document.
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 1000)
    while True:
        header = source.read(_REQUEST.size)
        if not header:
            return 0
        if len(header) != _REQUEST.size:
            raise PdfRenderError("truncated request")
        chunk, size = _REQUEST.unpack(header)
        body = source.read(size)
        if len(body) != size:
            raise PdfRenderError("truncated request")
        pdf = render_html(body.decode(), chunk=chunk, **CHUNK)
        out.write(_HEADER.pack(len(pdf)))
        out.write(pdf)
        out.flush()
        del body, pdf
        gc.collect()


# --- Merging and page numbers -----------------------------------------------------------------


def pdf_string(text: str) -> bytes:
    """Text as a PDF literal string in WinAnsiEncoding: \\ ( ) escaped, unmappable characters as '?'."""
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _helvetica_width(text: str, size: float) -> float:
    return sum(_HELVETICA_WIDTHS.get(c, _DIGIT_WIDTH) for c in text) * size / 1000


def merge_and_number(
    pdfs: Iterable[bytes], *, identifier: bytes, title: str, subject: str = "", lang: str = ""
) -> bytes:
    """Concatenate tagged PDFs, joining their structure trees, and stamp "Page X of Y" bottom right of
    every page (a pagination artifact). Reproducible: the same input gives the same bytes (/ID starts
    with `identifier`, then a hash of the content; no dates). Each PDF is joined as it comes, so given
    render_in_workers' PDFs as they are yielded, joining overlaps the rendering of those after it."""
    import pikepdf

    merged = tree = None
    for index, blob in enumerate(pdfs):
        chunk = pikepdf.open(io.BytesIO(blob))
        if merged is None:
            merged = chunk  # its catalog: outline, tree, language, XMP metadata
            tree = _Tree(merged)
            tree.adopt(merged, 0, 0)
            continue
        offset = len(merged.pages)
        merged.pages.extend(chunk.pages)
        tree.adopt(chunk, index, offset)
    if merged is None or tree is None:
        raise PdfRenderError("no PDF to merge")
    tree.finish()
    _number_pages(merged)

    merged.docinfo[pikepdf.Name.Title] = title
    if subject:
        merged.docinfo[pikepdf.Name.Subject] = subject
    if lang:
        merged.Root.Lang = pikepdf.String(lang)
    merged.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    merged.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    merged.trailer.ID = pikepdf.Array([pikepdf.String(identifier), pikepdf.String(identifier)])
    out = io.BytesIO()
    merged.save(
        out,
        deterministic_id=True,  # keeps /ID[0], the identifier; /ID[1] from the content, never the clock
        object_stream_mode=pikepdf.ObjectStreamMode.generate,  # the tree's many small objects, compressed
        compress_streams=True,  # the chunks' streams (CHUNK: uncompressed), with Flate
        stream_decode_level=pikepdf.StreamDecodeLevel.none,  # streams already encoded (images) as they are
        min_version="1.7",
    )
    return out.getvalue()


class _Tree:
    """The merged structure tree: one Document element, one ParentTree, unique IDs."""

    def __init__(self, merged) -> None:
        import pikepdf

        self.pikepdf = pikepdf
        self.merged = merged
        root = merged.Root.get("/StructTreeRoot")
        if root is None:  # an untagged first chunk: start an empty tree
            root = merged.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
            merged.Root.StructTreeRoot = root
        self.root = root
        kids = root.get("/K")
        if kids is None or (isinstance(kids, pikepdf.Array) and len(kids) == 0):
            document = merged.make_indirect(
                pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, P=root, K=pikepdf.Array())
            )
            root.K = pikepdf.Array([document])
        self.document = root.K[0] if isinstance(root.K, pikepdf.Array) else root.K
        self.nums: list = []  # flat [key, value, key, value ...] of the merged ParentTree
        self.ids: dict[bytes, object] = {}  # table-header ID -> its TH element
        self.next_key = 0

    def adopt(self, chunk, index: int, offset: int) -> None:
        """Take chunk `index`'s elements (its pages already at `offset` in the merged file)."""
        pikepdf = self.pikepdf
        source = chunk.Root.get("/StructTreeRoot")
        pages = self.merged.pages[offset : offset + len(chunk.pages)]
        if source is None:
            for page in pages:
                if "/StructParents" in page.obj:
                    del page.obj["/StructParents"]
            return
        if index:
            source = self.merged.copy_foreign(source)  # the pages were copied from `chunk` already
        keys: dict[int, int] = {}
        parent_tree = source.get("/ParentTree")
        old = list(parent_tree.get("/Nums", [])) if parent_tree is not None else []
        for key, value in zip(old[::2], old[1::2], strict=True):
            keys[int(key)] = self.next_key
            self.nums += [self.next_key, value]
            self.next_key += 1
        for page in pages:
            if "/StructParents" in page.obj:
                page.obj.StructParents = keys[int(page.obj.StructParents)]
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    annotation.StructParent = keys[int(annotation.StructParent)]
        documents = source.K if isinstance(source.K, pikepdf.Array) else [source.K]
        kids = self.document.K if index else pikepdf.Array()
        for document in documents:
            for element in document.get("/K", []):
                if isinstance(element, pikepdf.Dictionary):
                    element.P = self.document
                kids.append(element)
        self.document.K = kids
        # The chunk's table headers, already scoped and given IDs unique in the file by its worker
        # (mark_table_headers): one IDTree for them all.
        id_tree = source.get("/IDTree")
        names = list(id_tree.get("/Names", [])) if id_tree is not None else []
        for key, element in zip(names[::2], names[1::2], strict=True):
            self.ids[bytes(key)] = element

    def finish(self) -> None:
        pikepdf = self.pikepdf
        self.root.ParentTree = self.merged.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(self.nums)))
        self.root.ParentTreeNextKey = self.next_key
        if self.ids:
            names = pikepdf.Array()
            for key in sorted(self.ids):
                names.append(pikepdf.String(key))
                names.append(self.ids[key])
            self.root.IDTree = self.merged.make_indirect(pikepdf.Dictionary(Names=names))


def _number_pages(merged) -> None:
    """Stamp "Page X of Y" bottom right of every page, as a pagination artifact."""
    import pikepdf

    font = merged.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name.Helvetica,
            Encoding=pikepdf.Name.WinAnsiEncoding,
        )
    )
    # Each page's own drawing is wrapped in q ... Q so the stamp starts from the default coordinates.
    save = merged.make_stream(b"q\n")
    total = len(merged.pages)
    colour = " ".join(f"{c:.3f}" for c in STAMP_COLOUR).encode()
    for number, page in enumerate(merged.pages, start=1):
        resources = page.obj.get("/Resources")
        if resources is None:
            resources = page.obj.Resources = pikepdf.Dictionary()
        if "/Font" not in resources:
            resources.Font = pikepdf.Dictionary()
        resources.Font[STAMP_FONT] = font
        text = f"Page {number} of {total}"
        box = page.mediabox
        x = float(box[2]) - STAMP_RIGHT - _helvetica_width(text, STAMP_SIZE)
        y = float(box[1]) + STAMP_BASELINE
        stamp = merged.make_stream(
            b"Q q /Artifact <</Type /Pagination /Subtype /Footer>> BDC BT %s %d Tf %s rg %.2f %.2f Td %s Tj ET EMC Q\n"
            % (STAMP_FONT.encode(), STAMP_SIZE, colour, x, y, pdf_string(text))
        )
        contents = page.obj.get("/Contents")
        existing = [] if contents is None else list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        page.obj.Contents = pikepdf.Array([save, *existing, stamp])
