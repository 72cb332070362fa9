"""Turn the bytes of one report file into NFC Vietnamese (or English) text.

One job: ``decode_document(data, name)`` picks the format (plain text, .docx, .html,
.pdf), the character encoding for plain text (UTF-8/16, Windows-1258, and the legacy
8-bit font encodings TCVN3 and VNI), and returns the text with its encoding and
language. It only sees the bytes it is given: no file system, no global state.
Anything it cannot read raises ``UnreadableInput("<name>: <reason>")``.
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ingest.errors import UnreadableInput

if TYPE_CHECKING:  # the parsers themselves are imported only when a format needs them
    from docx.document import Document
    from docx.table import Table
    from selectolax.lexbor import LexborHTMLParser, LexborNode


@dataclass(frozen=True)
class DecodedText:
    text: str  # NFC-normalised, newlines "\n", no BOM
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", "windows-1258", "tcvn3", "vni", "docx", "html", "pdf"
    lang: str  # "vi" or "en"


# --- Legacy 8-bit Vietnamese font encodings -------------------------------------------
# Both tables start from Windows-1252 (what a .txt saved on Windows with a .VnTime or
# VNI-Times font holds) and override the bytes the font draws as Vietnamese letters.


def _cp1252_base() -> list[str]:
    """Windows-1252 as 256 one-char strings; its five undefined bytes fall back to Latin-1."""
    return [bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256)]


# TCVN3 (TCVN 5712:1993, "ABC", .VnTime): 0xA1-0xFE after the VN3 layout; uppercase
# toned letters of the full standard (VN1) are added only where they cannot clash with
# real text: C0 control slots, C1 slots that Windows-1252 leaves undefined or fills with
# letters unused in Vietnamese (Š Œ Ž š œ ž Ÿ ƒ), and the gaps between the lowercase
# letters. C1 slots holding quotes and dashes (“ ” ‘ ’ – — …) stay punctuation, and
# 0xB0-0xB4 stay ° ± ² ³ ´ (VN1 puts combining tone marks there).
_TCVN3_OVERRIDES: dict[int, str] = {
    0x01: "Ú", 0x02: "Ụ", 0x04: "Ừ", 0x05: "Ử", 0x06: "Ữ", 0x11: "Ứ", 0x12: "Ự",
    0x13: "Ỳ", 0x14: "Ỷ", 0x15: "Ỹ", 0x16: "Ý", 0x17: "Ỵ",
    0x81: "Ả", 0x83: "Á", 0x8A: "É", 0x8C: "Ệ", 0x8D: "Ì", 0x8E: "Ỉ", 0x8F: "Ĩ",
    0x90: "Í", 0x9A: "Ỡ", 0x9C: "Ợ", 0x9D: "Ù", 0x9E: "Ủ", 0x9F: "Ũ",
}  # fmt: skip
_TCVN3_A1_FF = (
    "ĂÂÊÔƠƯĐăâêôơưđẰ"  # 0xA1-0xAF
    "°±²³´àảãáạẲằẳẵắẴ"  # 0xB0-0xBF
    "ẮẦẨẪẤỀặầẩẫấậèỂẻẽ"  # 0xC0-0xCF
    "éẹềểễếệìỉỄẾỒĩíịò"  # 0xD0-0xDF
    "ỔỏõóọồổỗốộờởỡớợùỖủũúụừửữứựỳỷỹýỵỐ"  # 0xE0-0xFF
)


def _tcvn3_table() -> str:
    table = _cp1252_base()
    for byte, char in _TCVN3_OVERRIDES.items():
        table[byte] = char
    for offset, char in enumerate(_TCVN3_A1_FF):
        table[0xA1 + offset] = char
    return "".join(table)


# VNI (VNI-Windows, VNI-Times): a toned vowel is a base letter followed by a mark byte.
# Marks become Unicode combining marks (composed later by NFC); marks made of two parts
# (circumflex or breve plus a tone) first become one private-use char each, so the byte
# table stays one char per byte, and are expanded with str.replace.
_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_CIRC, _BREVE = "\u0302", "\u0306"
_VNI_MARKS: dict[str, str] = {  # lowercase mark byte (as cp1252 char) -> combining marks
    "ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT,
    "â": _CIRC, "á": _CIRC + _ACUTE, "à": _CIRC + _GRAVE, "å": _CIRC + _HOOK,
    "ã": _CIRC + _TILDE, "ä": _CIRC + _DOT,
    "ê": _BREVE, "é": _BREVE + _ACUTE, "è": _BREVE + _GRAVE, "ú": _BREVE + _HOOK,
    "ü": _BREVE + _TILDE, "ë": _BREVE + _DOT,
}  # fmt: skip
_VNI_LETTERS: dict[str, str] = {  # lowercase one-byte letters (í and ì are themselves)
    "ô": "ơ", "ö": "ư", "ñ": "đ", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ",
}  # fmt: skip
_PRIVATE_USE = 0xE000


def _vni_tables() -> tuple[str, dict[str, str]]:
    """The VNI byte table and the private-use expansions it relies on."""
    table = _cp1252_base()
    expansions: dict[str, str] = {}
    for lower, marks in _VNI_MARKS.items():
        for char in (lower, lower.upper()):
            if len(marks) == 1:
                table[ord(char)] = marks
            else:
                placeholder = chr(_PRIVATE_USE + ord(char))
                table[ord(char)] = placeholder
                expansions[placeholder] = marks
    for lower, letter in _VNI_LETTERS.items():
        table[ord(lower)] = letter
        table[ord(lower.upper())] = letter.upper()
    return "".join(table), expansions


_TCVN3_TABLE = _tcvn3_table()
_VNI_TABLE, _VNI_EXPANSIONS = _vni_tables()


def _decode_tcvn3(data: bytes) -> str:
    return codecs.charmap_decode(data, "strict", _TCVN3_TABLE)[0]


def _decode_vni(data: bytes) -> str:
    text = codecs.charmap_decode(data, "strict", _VNI_TABLE)[0]
    for placeholder, marks in _VNI_EXPANSIONS.items():
        if placeholder in text:
            text = text.replace(placeholder, marks)
    return text


def _decode_cp1258(data: bytes) -> str:
    return data.decode("cp1258", errors="replace")


_LEGACY_DECODERS: dict[str, Callable[[bytes], str]] = {
    "windows-1258": _decode_cp1258,
    "tcvn3": _decode_tcvn3,
    "vni": _decode_vni,
}

# --- How Vietnamese does a text look ---------------------------------------------------

_TONE_MARKS = (_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT)
_VI_LOWER = "aăâeêioôơuưy"
_TONED = {unicodedata.normalize("NFC", base + tone): base for base in _VI_LOWER for tone in _TONE_MARKS}
_STRIP_TONE = str.maketrans(_TONED)
# Letters only Vietnamese uses (outside Latin-1, so French or Spanish words do not count).
_VI_ONLY_LETTERS = frozenset(c for c in "ăơưđ" + "".join(_TONED) if ord(c) > 0xFF)
_VI_ONLY_LETTERS |= frozenset(c.upper() for c in _VI_ONLY_LETTERS)
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnprstvx])?"
    r"(?:uyê|uya|uy|oa|oă|oe|uâ|uê|uơ|iê|yê|uô|ươ|ia|ua|ưa|oo|[aăâeêioôơuưy])"
    r"(?:ch|nh|ng|[cmnptiouy])?"
)
_COMMON_WORDS = frozenset(
    {
        "của", "và", "được", "các", "tỉnh", "biên", "giới", "đã", "với", "trong", "những", "người",
        "không", "có", "này", "là", "cho", "một", "đồn", "công", "tác", "phòng", "chống", "ngày",
        "năm", "tại", "theo", "đội",
    }
)  # fmt: skip
_TOKEN_PUNCT = "\"'.,;:!?()[]{}<>/\\|“”‘’…–—-_*#%&+=`~0123456789"


def _is_vi_syllable(token: str) -> bool:
    """True when the lowercase NFC ``token`` is shaped like one Vietnamese syllable."""
    toneless = token.translate(_STRIP_TONE)
    tones = sum(1 for a, b in zip(token, toneless, strict=True) if a != b)
    return tones <= 1 and _SYLLABLE.fullmatch(toneless) is not None


def _vietnamese_score(text: str) -> tuple[float, int]:
    """(share of non-ASCII words that are Vietnamese syllables, count of common words)."""
    counts = Counter(raw.strip(_TOKEN_PUNCT) for raw in text.lower().split())
    valid = total = common = 0
    for token, count in counts.items():
        if token.isascii():
            continue
        total += count
        valid += count * _is_vi_syllable(token)
        common += count * (token in _COMMON_WORDS)
    return (valid / total if total else 0.0), common


def _detect_lang(text: str) -> str:
    """Return "vi" when at least 15% of the words hold letters only Vietnamese uses (ư, ộ, đ...)."""
    words = [w for w in _sample_text(text).split() if any(c.isalpha() for c in w)]
    if not words:
        return "en"
    marked = sum(1 for w in words if not _VI_ONLY_LETTERS.isdisjoint(w))
    return "vi" if marked / len(words) >= 0.15 else "en"


def _sample_text(text: str, size: int = 200_000) -> str:
    """Head, middle and tail of a long text (bounded work for scoring)."""
    if len(text) <= 3 * size:
        return text
    middle = len(text) // 2
    return "\n".join((text[:size], text[middle : middle + size], text[-size:]))


# --- Plain text ------------------------------------------------------------------------

_UTF16_BOMS = ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_STRAY_BYTE = re.compile("[\udc80-\udcff]+")
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\v\x1a\x1b")


def _decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode plain-text bytes, returning (text, encoding label)."""
    if data.startswith(codecs.BOM_UTF8):
        return _decode_utf8(data[len(codecs.BOM_UTF8) :]), "utf-8-sig"
    for bom, codec in _UTF16_BOMS:
        if data.startswith(bom):
            return _checked_decode(data[len(bom) :], codec, name), "utf-16"
    utf16 = _guess_bomless_utf16(data)
    if utf16 is not None and _looks_like_text(data[:4096].decode(utf16, errors="replace")):
        return _checked_decode(data, utf16, name), "utf-16"
    _reject_binary(data, name)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        sample = _sample_bytes(data, error.start)
    if _mostly_utf8(sample):
        return _decode_utf8(data), "utf-8"
    label = _best_legacy(sample)
    text = _LEGACY_DECODERS[label](data)
    if text.count("\ufffd") > max(8, len(text) // 10):
        raise UnreadableInput(f"{name}: undecodable text (no encoding fits)")
    return text, label


def _sample_bytes(data: bytes, first_bad: int, size: int = 32 * 1024) -> bytes:
    """Head, the stretch from the first non-UTF-8 byte, middle and tail (bounded work)."""
    if len(data) <= 4 * size:
        return data
    starts = (0, max(0, first_bad - 1024), len(data) // 2, len(data) - size)
    return b"\n".join(data[start : start + size] for start in starts)


def _checked_decode(data: bytes, codec: str, name: str) -> str:
    """Decode leniently, but refuse text that is mostly replacement characters."""
    text = data.decode(codec, errors="replace")
    if text.count("\ufffd") > max(8, len(text) // 10):
        raise UnreadableInput(f"{name}: undecodable {codec} text")
    return text


def _guess_bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: NULs in one byte column, almost none in the other."""
    head = data[:4096]
    if len(head) < 16 or b"\x00" not in head:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    half = len(head) // 2
    if odd > 0.3 * half and even < 0.02 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.02 * half:
        return "utf-16-be"
    return None


def _looks_like_text(sample: str) -> bool:
    """Few control, unassigned, private-use or replacement characters."""
    odd = sum(
        1
        for char in sample
        if char == "\ufffd"
        or (unicodedata.category(char) in ("Cc", "Cn", "Co", "Cs") and char not in "\t\n\r\f")
    )
    return odd <= len(sample) * 0.02


_MAGIC_BINARY = (
    b"\x89PNG",
    b"GIF87a",
    b"GIF89a",
    b"\xff\xd8\xff",
    b"\x7fELF",
    b"\x1f\x8b",
    b"Rar!",
    b"7z\xbc\xaf",
)


def _reject_binary(data: bytes, name: str) -> None:
    head = data[:8192]
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableInput(f"{name}: binary content, not a text report (legacy OLE .doc/.xls file)")
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if head.startswith(_MAGIC_BINARY) or b"\x00" in head or controls > len(head) * 0.05:
        raise UnreadableInput(f"{name}: binary content, not a text report")


def _mostly_utf8(sample: bytes) -> bool:
    """True when valid multi-byte UTF-8 outweighs the bytes that are not UTF-8."""
    text = sample.decode("utf-8", errors="surrogateescape")
    stray = sum(len(m) for m in _STRAY_BYTE.findall(text))
    valid_non_ascii = len(text) - len(text.encode("ascii", errors="ignore")) - stray
    return valid_non_ascii > 0 and valid_non_ascii >= stray


def _decode_utf8(data: bytes) -> str:
    """UTF-8 where valid; each run of stray bytes is read as Windows-1258."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="surrogateescape")

    def as_cp1258(match: re.Match[str]) -> str:
        raw = match.group().encode("utf-8", errors="surrogateescape")
        return raw.decode("cp1258", errors="replace")

    return _STRAY_BYTE.sub(as_cp1258, text)


def _best_legacy(sample: bytes) -> str:
    """The legacy encoding whose decoding of ``sample`` looks most Vietnamese."""
    scores = {}
    for label, decoder in _LEGACY_DECODERS.items():
        scores[label] = _vietnamese_score(unicodedata.normalize("NFC", decoder(sample)))
    return max(scores, key=lambda label: scores[label])  # ties keep the order above


def _repair_legacy_lines(text: str) -> str:
    """Convert lines typed in .VnTime / VNI-Times fonts inside Unicode documents."""
    return "\n".join(_repair_legacy_line(line) for line in text.split("\n"))


def _repair_legacy_line(line: str) -> str:
    if line.isascii():
        return line
    try:
        raw = line.encode("cp1252")
    except UnicodeEncodeError:
        return line
    current, _ = _vietnamese_score(unicodedata.normalize("NFC", line))
    best, best_share = line, current
    for label in ("tcvn3", "vni"):
        candidate = unicodedata.normalize("NFC", _LEGACY_DECODERS[label](raw))
        share, _ = _vietnamese_score(candidate)
        if share >= 0.7 and share > best_share + 0.3:
            best, best_share = candidate, share
    return best


# --- .docx -------------------------------------------------------------------------------


def _decode_docx(data: bytes, name: str) -> str:
    _require_docx_zip(data, name)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        lines = list(_docx_lines(document))
    except UnreadableInput:
        raise
    except Exception as exc:  # python-docx, lxml and zipfile raise many kinds
        raise UnreadableInput(f"{name}: broken .docx ({type(exc).__name__})") from exc
    return _repair_legacy_lines("\n".join(lines))


def _require_docx_zip(data: bytes, name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError, EOFError) as exc:
        raise UnreadableInput(f"{name}: not a valid .docx (not a zip archive)") from exc
    if "word/document.xml" not in names:
        raise UnreadableInput(f"{name}: not a valid .docx (zip without word/document.xml)")


def _docx_lines(document: Document) -> Iterator[str]:
    """Paragraphs and table rows (cells joined by " | ") in document order."""
    from docx.table import Table

    for block in document.iter_inner_content():
        if isinstance(block, Table):
            yield from _table_rows(block)
        else:
            yield block.text


def _table_rows(table: Table) -> Iterator[str]:
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is repeated once per grid column
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()))
        yield " | ".join(cells)


# --- .html -------------------------------------------------------------------------------

_NOISE_TAGS = [
    "script", "style", "noscript", "template", "iframe", "svg", "canvas", "form", "button",
    "nav", "footer", "aside", "menu", "select", "input", "textarea", "object", "embed",
]  # fmt: skip
# A class or id token is boilerplate when one of its parts ("box-related-news") is in
# _BOILERPLATE_WORDS or it holds a _BOILERPLATE_PHRASES entry; a token naming the article
# ("article-content") protects its element, so "article-content has-tags" stays.
_BOILERPLATE_WORDS = frozenset(
    {
        "nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "footer", "sidebar",
        "comment", "comments", "related", "relate", "share", "sharing", "social", "tag", "tags",
        "advert", "advertisement", "ads", "ad", "banner", "widget", "popup", "cookie", "subscribe",
        "newsletter", "login", "search", "toolbar", "pagination", "print",
    }
)  # fmt: skip
_BOILERPLATE_PHRASES = ("binh-luan", "lien-quan", "tin-khac", "other-news", "more-news", "doc-nhieu")
_ARTICLE_WORDS = frozenset({"article", "detail", "story", "entry", "content", "body", "post", "news"})
_TOKEN_PARTS = re.compile(r"[-_]+")
_LEAF_BLOCKS = "p, h2, h3, h4, h5, h6, li, blockquote, pre, figcaption, tr"
_LEAD_SELECTOR = "[class*=sapo], [class*=lead], [class*=description], [class*=summary]"
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)


def _decode_html(data: bytes, name: str) -> str:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(_html_source(data, name))
    title, published = _html_title(tree), _html_published(tree)
    _drop_boilerplate(tree)
    for line_break in tree.css("br"):
        line_break.replace_with("\n")
    lines = _article_lines(tree)
    if not lines:
        raise UnreadableInput(f"{name}: no article text found in the HTML page")
    if published and not any(_DAY_MONTH_YEAR.search(line) for line in lines[:3]):
        lines.insert(0, published)  # the report's date, which the reader looks for at the top
    if title and lines[0] != title:
        lines.insert(0, title)
    return "\n".join(lines)


_PUBLISHED_SELECTORS = (
    "meta[property='article:published_time']",
    "meta[itemprop='datePublished']",
    "meta[name='pubdate']",
    "meta[name='publishdate']",
    "meta[name='date']",
    "time[datetime]",
)
_ISO_DAY = re.compile(r"^\s*((?:19|20)\d{2})-(\d{2})-(\d{2})")
_DAY_MONTH_YEAR = re.compile(r"(?<![\d/])\d{1,2}/\d{1,2}/(?:19|20)\d{2}(?![\d/])")


def _html_published(tree: LexborHTMLParser) -> str:
    """The page's publication day from its metadata, written as a date line (``20/05/2023``), or ""."""
    for selector in _PUBLISHED_SELECTORS:
        node = tree.css_first(selector)
        if node is None:
            continue
        m = _ISO_DAY.match(node.attributes.get("content") or node.attributes.get("datetime") or "")
        if m:
            return f"{m[3]}/{m[2]}/{m[1]}"
    return ""


def _html_source(data: bytes, name: str) -> str:
    """The page as str: valid UTF-8, else a declared non-UTF-8 <meta charset>, else detection."""
    if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError:
            pass
        codec = _declared_charset(data)
        if codec is not None and codec != "utf-8":
            return data.decode(codec, errors="replace")
    return _decode_text(data, name)[0]


def _declared_charset(data: bytes) -> str | None:
    declared = _META_CHARSET.search(data[:4096])
    if declared is None:
        return None
    try:
        return codecs.lookup(declared.group(1).decode("ascii")).name
    except LookupError:
        return None


def _html_title(tree: LexborHTMLParser) -> str:
    for selector in ("article h1", "h1", "meta[property='og:title']", "title"):
        node = tree.css_first(selector)
        if node is None:
            continue
        text = node.attributes.get("content") if node.tag == "meta" else node.text()
        text = " ".join((text or "").split())
        if text:
            return text
    return ""


def _drop_boilerplate(tree: LexborHTMLParser) -> None:
    """Remove noise elements; decide on the intact tree first, then remove top-most ones."""
    tree.strip_tags(_NOISE_TAGS)
    doomed = [node for node in tree.css("header, [class], [id]") if _is_boilerplate(node)]
    doomed_ids = {node.mem_id for node in doomed}
    roots = [node for node in doomed if not _has_ancestor(node, lambda p: p.mem_id in doomed_ids)]
    for node in roots:
        node.decompose()


def _is_boilerplate(node: LexborNode) -> bool:
    tag = node.tag
    if tag in ("html", "body", "article", "main"):
        return False
    if tag == "header":
        return not _has_ancestor(node, lambda p: p.tag in ("article", "main"))
    kinds = _token_kinds(node)
    return "boilerplate" in kinds and "article" not in kinds


def _token_kinds(node: LexborNode) -> set[str]:
    """The kinds of the node's class and id tokens (see ``_token_kind``)."""
    tokens = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}".lower().split()
    return {_token_kind(token) for token in tokens}


def _token_kind(token: str) -> str:
    """Classify one class or id token as "boilerplate", "article" or neither ("")."""
    parts = set(_TOKEN_PARTS.split(token))
    if not parts.isdisjoint(_BOILERPLATE_WORDS) or any(p in token for p in _BOILERPLATE_PHRASES):
        return "boilerplate"
    return "article" if not parts.isdisjoint(_ARTICLE_WORDS) else ""


def _has_ancestor(node: LexborNode, test: Callable[[LexborNode], bool]) -> bool:
    parent = node.parent
    while parent is not None:
        if test(parent):
            return True
        parent = parent.parent
    return False


def _article_lines(tree: LexborHTMLParser) -> list[str]:
    container = _main_container(tree)
    if container is None:
        body = tree.body
        text = body.text(separator="\n") if body is not None else ""
        return _clean_lines(text.split("\n"))
    if container.css_first("p") is None:  # text in <div> blocks and <br>, as some sites write it
        lines = _block_lines(container)
    else:
        lines = _clean_lines(_leaf_texts(container))
    if not lines:
        lines = _clean_lines(container.text(separator="\n").split("\n"))
    lead = _lead_outside(tree, container)
    return ([lead] if lead and lead not in lines else []) + lines


def _main_container(tree: LexborHTMLParser) -> LexborNode | None:
    """The element holding the most paragraph text (a small readability heuristic)."""
    marked = tree.css_first("[itemprop=articleBody]")
    if marked is not None:
        return marked
    weight: dict[int, int] = {}
    nodes: dict[int, LexborNode] = {}
    for paragraph in tree.css("p"):
        parent = paragraph.parent
        if parent is None:
            continue
        weight[parent.mem_id] = weight.get(parent.mem_id, 0) + len(paragraph.text(strip=True))
        nodes[parent.mem_id] = parent
    if not weight:
        return _marked_article(tree)
    return nodes[max(weight, key=weight.__getitem__)]


def _marked_article(tree: LexborHTMLParser) -> LexborNode | None:
    """On a page without <p>, the innermost element marked as the article ("detail-body") that holds most of
    the text of the largest one."""
    marked = [node for node in tree.css("[class], [id]") if _marks_article(node)]
    if not marked:
        return None
    size = {node.mem_id: len(node.text(strip=True)) for node in marked}
    largest = max(size.values())
    return min((node for node in marked if size[node.mem_id] >= 0.8 * largest), key=lambda n: size[n.mem_id])


def _marks_article(node: LexborNode) -> bool:
    return "article" in _token_kinds(node)


_BLOCKS = "div, section, table, caption, li, h1, h2, h3, h4, h5, h6, blockquote, pre"


def _block_lines(container: LexborNode) -> list[str]:
    """The text of a container whose blocks are <div>s: a line per block and per <br>, table rows as cells
    joined by " | " (the same rows ``_leaf_texts`` gives)."""
    for row in container.css("tr"):
        row.replace_with(_row_text(row) + "\n")
    for block in container.css(_BLOCKS):
        block.insert_before("\n")
        block.insert_after("\n")
    return _clean_lines(container.text(separator="").split("\n"))


def _leaf_texts(container: LexborNode) -> Iterator[str]:
    for node in container.css(_LEAF_BLOCKS):
        if len(node.css(_LEAF_BLOCKS)) > 1:  # the node itself plus a nested block: use those
            continue
        yield _row_text(node) if node.tag == "tr" else node.text()


def _row_text(row: LexborNode) -> str:
    """A table row as one line, its cells joined by " | " (what ``ingest.text_tables`` reads)."""
    return " | ".join(" ".join(cell.text().split()) for cell in row.css("td, th"))


def _lead_outside(tree: LexborHTMLParser, container: LexborNode) -> str:
    """The news lead ("sapo") when it sits outside the main container."""
    inside = " ".join(container.text(separator=" ").split())
    for node in tree.css(_LEAD_SELECTOR):
        text = " ".join(node.text(separator=" ").split())
        if len(text) >= 40 and text not in inside:
            return text
    return ""


def _clean_lines(lines: Iterable[str]) -> list[str]:
    return [joined for line in lines if (joined := " ".join(line.split()))]


# --- .pdf --------------------------------------------------------------------------------


def _decode_pdf(data: bytes, name: str) -> str:
    try:
        from pypdf import PdfReader
    except ImportError as exc:
        raise UnreadableInput(f"{name}: PDF is not supported here (pypdf is not installed)") from exc
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableInput(f"{name}: encrypted PDF")
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadableInput:
        raise
    except Exception as exc:  # pypdf raises many kinds on broken files
        raise UnreadableInput(f"{name}: broken PDF ({type(exc).__name__})") from exc
    text = "\n".join(_without_page_furniture(pages))
    if not text.strip():
        raise UnreadableInput(f"{name}: PDF has no text layer (scanned image?)")
    return _repair_legacy_lines(text)


_PAGE_NUMBER = re.compile(r"(?i)(?:\b(?:trang|page)\s*\d+(?:\s*/\s*\d+)?|^\s*-?\s*\d{1,3}\s*-?)\s*$")
EDGE_LINES = 2  # a running header or footer is among the first or last lines of a page


def _without_page_furniture(pages: list[str]) -> list[str]:
    """The pages without their running headers and footers, which pypdf puts in the middle of the sentence that
    crosses a page ("phát hiện và tạm giữ / Cục QLTT … - Trang 1/2 / 28.640 bao"): a page number line, or an
    edge line that recurs, its digits aside, on another page."""
    lines = [page.split("\n") for page in pages]
    edges = [set(_shape(line) for line in page[:EDGE_LINES] + page[-EDGE_LINES:]) for page in lines]
    recurring = {
        shape
        for i, page in enumerate(edges)
        for shape in page
        if any(shape in other for other in edges[i + 1 :])
    }

    def furniture(line: str, at: int, count: int) -> bool:
        edge = at < EDGE_LINES or at >= count - EDGE_LINES
        return edge and (bool(_PAGE_NUMBER.search(line)) or _shape(line) in recurring)

    return [
        "\n".join(line for at, line in enumerate(page) if not furniture(line, at, len(page)))
        for page in lines
    ]


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()))


# --- Entry point -------------------------------------------------------------------------

_TEXT_EXTENSIONS = frozenset({".txt", ".md", ".text", ".markdown"})  # never sniffed as HTML
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)


def decode_document(data: bytes, name: str) -> DecodedText:
    """Decode one report file's bytes; ``name`` gives the extension and the error prefix.

    Raises UnreadableInput for empty, binary, broken or undecodable input.
    """
    try:
        text, encoding = _dispatch(data, name)
        text = _finish(text)
        return DecodedText(text=text, encoding=encoding, lang=_detect_lang(text))
    except UnreadableInput:
        raise
    except Exception as exc:  # never let a library's own error escape
        raise UnreadableInput(f"{name}: cannot decode ({type(exc).__name__}: {exc})".splitlines()[0]) from exc


def _dispatch(data: bytes, name: str) -> tuple[str, str]:
    if not data:
        raise UnreadableInput(f"{name}: empty file")
    ext = _extension(name)
    if ext == ".docx" or data.startswith(b"PK\x03\x04"):
        if ext != ".docx" and not _is_docx_zip(data):
            raise UnreadableInput(f"{name}: binary content, not a text report (zip archive)")
        return _decode_docx(data, name), "docx"
    if ext == ".pdf" or data.startswith(b"%PDF-"):
        return _decode_pdf(data, name), "pdf"
    if ext in (".html", ".htm", ".xhtml") or (ext not in _TEXT_EXTENSIONS and _HTML_START.match(data[:2048])):
        return _decode_html(data, name), "html"
    return _decode_text(data, name)


def _extension(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "." + base.rsplit(".", 1)[1].lower() if "." in base.lstrip(".") else ""


def _is_docx_zip(data: bytes) -> bool:
    try:
        _require_docx_zip(data, "")
    except UnreadableInput:
        return False
    return True


def _finish(text: str) -> str:
    """Drop a BOM, unify newlines, compose to NFC."""
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)  # returns at once when the quick check says NFC
