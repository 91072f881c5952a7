"""Bytes to text: which encoding a data file was saved in, read as a person would, with a word where
the reading can only guess (a file pasted together from two encodings, a last character cut off, a
chosen encoding that garbles what automatic detection reads). ``core.data.load_file`` is its user."""

from __future__ import annotations

import codecs
import contextlib
import re

from core.errors import DataError

ENCODINGS = (
    "utf-8",
    "utf-8-sig",
    "gb18030",
    "gbk",
    "big5",
    "cp950",
    "big5hkscs",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "latin-1",
    "cp1252",
    "mac_roman",
    "cp949",
    "cp932",
    "euc-jp",
)
# what decode_bytes names a reading that is not one codec's
CUT_UTF8 = "utf-8, last character cut off"
CUT_UTF16 = "utf-16, last character cut off"
MIXED_UTF8_GB = "utf-8 and gb18030, line by line"  # a file pasted together from files saved in each
MIXED_UTF8_WESTERN = "utf-8 and cp1252, line by line"  # UTF-8 with lines pasted from a Windows Western file


def decode_bytes(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding_used)``.

    Order: an explicit ``encoding`` override; a BOM (UTF-8 or UTF-16); strict UTF-8; then
    detection limited to UTF-16, Korean (cp949) and Japanese (cp932, EUC-JP) where their script
    shows, GB18030 (a superset of GBK) and Big5.
    """
    if encoding:
        try:
            # a byte-order mark is not text: left in, it became part of the first column's name ("\ufefftext")
            return data.decode(encoding).removeprefix("\ufeff"), encoding
        except LookupError:
            raise DataError(f"Unknown encoding {encoding!r}. Choose one of: {', '.join(ENCODINGS)}.") from None
        except UnicodeDecodeError as exc:
            raise DataError(
                f"The file is not valid {encoding}: line {line_of(data, exc.start)} has a byte it cannot hold "
                f"(position {exc.start:,}). Pick another encoding, or leave it on automatic detection."
            ) from None
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "utf-8-sig"
        except UnicodeDecodeError as exc:  # Excel's "CSV UTF-8" with GBK rows pasted after it
            mixed = mixed_utf8_and_gb(data[len(codecs.BOM_UTF8) :])
            if mixed is not None:
                return mixed[0], MIXED_UTF8_GB
            raise DataError(
                f"The file starts as UTF-8 (it has a byte-order mark), but line {line_of(data, exc.start)} is not "
                "UTF-8. Save it as UTF-8 (in Excel: 'CSV UTF-8'), or choose its encoding by hand on the Data page "
                "(--encoding on the command line)."
            ) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            if len(data) % 2:  # cut off in the middle of its last character (copied or saved half-way)
                with contextlib.suppress(UnicodeDecodeError):
                    return data[:-1].decode("utf-16"), CUT_UTF16
            raise DataError(
                "The file is UTF-16 (it has a byte-order mark), but parts of it are not. Save it again as UTF-8 "
                "(in Excel: 'CSV UTF-8'), or choose its encoding by hand on the Data page (--encoding on the "
                "command line)."
            ) from None
    sample = data[:262_144]
    # UTF-16 without a BOM: ASCII-range text leaves every other byte zero. NUL bytes are valid
    # UTF-8, so this is asked first: strict UTF-8 would "succeed" and import NUL-riddled text.
    utf16_like = len(sample) >= 4 and sample.count(0) > len(sample) // 5
    if not utf16_like:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
                # a file cut off in the middle of its last character: the rest is good UTF-8
                with contextlib.suppress(UnicodeDecodeError):
                    return data[: exc.start].decode("utf-8"), CUT_UTF8
    if not utf16_like:
        mixed = mixed_utf8_and_gb(data)
        if mixed is not None:
            return mixed[0], MIXED_UTF8_GB
        mixed = mixed_utf8_and_western(data)
        if mixed is not None:
            return mixed[0], MIXED_UTF8_WESTERN
    if utf16_like:
        read = _utf16_without_bom(data, sample)
        if read is not None:
            return read
    # Korean (EUC-KR's syllables sit where GB2312 keeps its common characters) and Japanese decode as
    # GB18030 too: they were imported as Chinese gibberish without a word
    korean_or_japanese = _korean_or_japanese(data)
    if korean_or_japanese is not None:
        return korean_or_japanese
    as_gb = None
    try:
        # Simplified Chinese in GBK decodes to the 3,755 most common characters (GB2312
        # level 1) almost only; Big5 bytes read as GBK rarely do. This settles short files
        # that statistical detection gets wrong.
        as_gb = data.decode("gb18030")
        if _common_simplified_share(as_gb[:20_000]) >= 0.9:
            return as_gb, "gb18030"
    except UnicodeDecodeError:
        pass
    western = _western_text(data)
    # Excel for Mac's "CSV (Macintosh)": é is 0x8E, è 0x8F (a byte cp1252 leaves undefined), ü 0x9F (Ÿ in
    # cp1252: "MŸller" was imported without a word). Read as latin-1, by hand, its accents became invisible
    # control characters with "No problems found"
    maybe_mac = _undefined_in_cp1252(data) or (western is not None and _implausible(western) > 0)
    mac = _western_text(data, "mac_roman") if maybe_mac else None
    if mac is not None and (western is None or _implausible(mac) < _implausible(western)):
        return mac, "mac_roman"
    if western is not None:
        return western, "cp1252"
    traditional = _traditional_text(data, as_gb)
    if traditional is not None:
        return traditional
    if as_gb is not None and _CJK.search(as_gb[:20_000]):
        try:
            as_big5 = data.decode("big5")
        except UnicodeDecodeError:
            as_big5 = None
        # GBK's rarer characters (names, with a few added by hand) read as Big5 make mostly its rare
        # ones too: statistical detection took such a file for Big5 about half the time
        if as_big5 is None or _frequent_big5_share(as_big5[:20_000]) < 0.5:
            return as_gb, "gb18030"
    from charset_normalizer import from_bytes

    best = from_bytes(sample, cp_isolation=["gb18030", "big5", "utf_16"]).best()
    order = [best.encoding] if best is not None else []
    order += [e for e in ("gb18030", "big5") if e not in order]
    for enc in order:
        enc = {"utf_16": "utf-16"}.get(enc, enc)
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    where = ""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = (
            f" Line {line_of(data, exc.start)} is the first that is not UTF-8; if the file was pasted together "
            "from files in different encodings, only some lines are."
        )
    raise DataError(
        f"Could not decode the file as UTF-8, UTF-16, GBK/GB18030 or Big5.{where} "
        "Save it as UTF-8 (in Excel: 'CSV UTF-8'), or choose its encoding by hand on the Data page "
        "(--encoding on the command line)."
    )


class MisreadUtf16Error(DataError):
    """UTF-16 text that reads well up to a byte added or lost, and one byte out of step after it: text,
    not binary data, however many NUL bytes it holds."""


def _utf16_without_bom(data: bytes, sample: bytes) -> tuple[str, str] | None:
    """``(text, encoding)`` of a file whose every other byte is zero: UTF-16 without a byte-order mark,
    its last byte dropped where the file was cut off; None when neither byte order reads it cleanly (the
    other readings are tried: a UTF-8 export padded with NULs). A file that reads well up to a point and
    one byte out of step after it is refused (MisreadUtf16Error): read on by a one-byte encoding, its NUL
    bytes became text ("t\\x00e\\x00x\\x00t"), with "No problems found"."""
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    misread = None
    for enc in ("utf-16-le", "utf-16-be") if odd_zeros >= even_zeros else ("utf-16-be", "utf-16-le"):
        for cut in (False, True) if len(data) % 2 else (False,):
            try:
                text = (data[:-1] if cut else data).decode(enc)
            except UnicodeDecodeError:
                continue
            at = _misaligned_at(text)
            if at is None and text.count("\x00") <= max(2, len(text) // 20):
                return text, CUT_UTF16 if cut else enc
            if at is not None and at[0] >= 16 and misread is None:
                misread = at
    if len(data) % 4 == 0:  # UTF-32 (three NUL bytes to each ASCII character) decodes as UTF-16 too, NULs and all
        for enc in ("utf-32-le", "utf-32-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if text.count("\x00") <= max(2, len(text) // 20):
                return text, enc
    if misread is not None:
        raise MisreadUtf16Error(
            "The file looks like UTF-16 without a byte-order mark (every other byte is zero), but it cannot be "
            f"read as UTF-16: a byte was added or lost near line {misread[1]:,}, so every character after it "
            "reads as another. Open it in the program that made it and save it again as UTF-8 (in Excel: "
            "'CSV UTF-8'), or choose its encoding by hand on the Data page (--encoding on the command line)."
        )
    return None


# UTF-16 read one byte out of step: each ASCII letter becomes the character whose high byte it is ("t" →
# U+7400). Real text holds such characters too (一 is U+4E00, the ideographic space U+3000, a line drawn
# with ─ U+2500), but not eight in a row of four different ones
_SWAPPED_ASCII = re.compile("[" + "".join(f"\\u{high:02x}00" for high in range(0x20, 0x7F)) + "]{8,}")


def _misaligned_at(text: str) -> tuple[int, int] | None:
    """``(position, line)`` where ``text`` starts to read as UTF-16 one byte out of step (a run of ASCII
    words read so), or None."""
    for found in _SWAPPED_ASCII.finditer(text):
        if len(set(found.group())) >= 4:  # words, not "────────" or a row of ideographic spaces
            return found.start(), text.count("\n", 0, found.start()) + 1
    return None


# the 560 or so most frequent characters of written (simplified) Chinese, most frequent first: about three
# quarters of running text; Korean bytes read as GB18030 give mostly others
_FREQUENT_CHINESE = frozenset(
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所"
    "然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无力它与长把"
    "机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加"
    "西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别"
    "打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司"
    "五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观"
    "清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影"
    "具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增"
    "研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红"
    "响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留讲型料终"
)


def _frequent_chinese_share(text: str) -> float:
    """Share of the CJK characters of ``text`` among the most frequent of Chinese (0 when none)."""
    chars = _CJK.findall(text)
    return sum(char in _FREQUENT_CHINESE for char in chars) / len(chars) if chars else 0.0


_CJK = re.compile(r"[\u4e00-\u9fff]")
_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HALFWIDTH_KANA = re.compile(r"[\uff61-\uff9f]")
# syllables that make up most of any Korean text (particles, endings, everyday words)
_COMMON_HANGUL = frozenset(
    "이다는의에하고을가지를한로서기사도어리자대으아나시수정인일들해적전주라상보부소제그성만게있우여동면장구과국원내없생것"
    "오연화경위학했중개신요세문러되된와실계공방말모두무미물비간거관까니습었았워좋재영감음않싶잘별려히께네죠데터너안못번분때"
    "더또좀운용작발결선입조할함합될던든드르른람런럼렇며야겠봐봤써줘같많처럼님씨매진짜최"
)


SHORT_FOR_A_GUESS = 40  # Hangul syllables in a cp949 reading below which GB18030 may read it better


def _korean_share(data: bytes) -> tuple[float, int] | None:
    """``(share of common syllables, syllables)`` of ``data`` read as Korean (cp949), when it reads as
    Korean at all (Hangul almost only, half of it common); None otherwise."""
    try:
        text = data.decode("cp949")[:20_000]
    except UnicodeDecodeError:
        return None
    hangul = _HANGUL.findall(text)
    common = sum(syllable in _COMMON_HANGUL for syllable in hangul)
    hanja = len(_CJK.findall(text))
    if len(hangul) >= 4 and len(hangul) >= 0.9 * (len(hangul) + hanja) and common >= 0.5 * len(hangul):
        return common / len(hangul), len(hangul)
    return None


def _gb_reading(data: bytes) -> str:
    try:
        return data.decode("gb18030")[:20_000]
    except UnicodeDecodeError:
        return ""


def korean_or_chinese_note(data: bytes, used: str) -> str | None:
    """When a short file read as Chinese (GB18030) or Korean (cp949) reads as the other just as well: the
    choice was a guess ("학교" and "切背" are the same bytes), and the preview is where to check it."""
    if used not in ("gb18030", "cp949"):
        return None
    korean = _korean_share(data)
    if korean is None or korean[1] >= SHORT_FOR_A_GUESS or _common_simplified_share(_gb_reading(data)) < 0.9:
        return None
    if used == "gb18030":
        return (
            "The file is short, and its bytes read as Chinese and as Korean alike: it was read as Chinese "
            "(gb18030). If the preview looks garbled, choose cp949 (Korean) as its encoding (on the Data page, or "
            "--encoding on the command line)."
        )
    return (
        "The file is short, and its bytes read as Chinese and as Korean alike: it was read as Korean (cp949). If "
        "the preview looks garbled, choose gb18030 (Chinese) as its encoding (on the Data page, or --encoding on "
        "the command line)."
    )


def _korean_or_japanese(data: bytes) -> tuple[str, str] | None:
    """``(text, encoding)`` when ``data`` is Korean in cp949 (EUC-KR) or Japanese in Shift-JIS (cp932)
    or EUC-JP; None otherwise.

    GB18030 reads all three without an error. Korean read as cp949 is Hangul almost only, and mostly
    its common syllables; Chinese bytes read so give Hanja among the Hangul, and rare syllables.
    Japanese is a good share kana, which Chinese bytes read as Japanese do not give (GBK's lead bytes
    become half-width katakana in Shift-JIS, not the full-width kana of real text).
    """
    korean = _korean_share(data)
    # unless the bytes read better still as Chinese: four Hangul syllables, half of them common, read
    # "很好,很快" as "붤봤,붤우", with "No problems found". A long Korean file's GB reading is Chinese's
    # frequent characters about one time in seven; a short file can be both, and load_file says it guessed
    if korean is not None and _frequent_chinese_share(_gb_reading(data)) <= korean[0]:
        return data.decode("cp949"), "cp949"
    for encoding in ("cp932", "euc-jp"):
        try:
            text = data.decode(encoding)[:20_000]
        except UnicodeDecodeError:
            continue
        kana = len(_KANA.findall(text))
        kanji = len(_CJK.findall(text))
        if kana >= 2 and kana >= 0.2 * (kana + kanji) and len(_HALFWIDTH_KANA.findall(text)) <= 0.1 * kana:
            return data.decode(encoding), encoding
    return None


# Big5 and the variants Windows (cp950: 裏, 碁, €) and Hong Kong (Big5-HKSCS: 嘅, 咗) save
TRADITIONAL_ENCODINGS = ("big5", "cp950", "big5hkscs")


def _private_use_share(text: str) -> float:
    """Share of the CJK and private-use characters in ``text`` that are private-use (0-1)."""
    private = len(_PRIVATE_USE.findall(text))
    return private / max(1, private + len(_CJK.findall(text)))


def _traditional_text(data: bytes, as_gb: str | None) -> tuple[str, str] | None:
    """``(text, encoding)`` when ``data`` is traditional Chinese in Big5, cp950 or Big5-HKSCS that
    GB18030 would read as mojibake; None otherwise.

    GB18030 decodes such bytes, but Big5's common characters (lead bytes A4-A7) fall on GBK's
    user-defined area, so the text comes out full of private-use characters (U+E000-U+F8FF), and a
    file of 200 traditional rows with one 裏 in it imported as "ず甧、だ摸" without a word. Real
    Chinese text has next to none, though a list of names may use a few (rare characters added by
    hand). With no private use, kana, Greek and Cyrillic among the characters tell the same
    (``_big5_lead_share``). Either way the Big5 reading must also be mostly Big5's frequent characters, which GBK bytes read
    as Big5 are not (0.44 against 0.8-0.93 for real traditional text).
    """
    if as_gb is not None and _private_use_share(as_gb[:20_000]) < 0.01 and _big5_lead_share(as_gb[:20_000]) < 0.1:
        return None
    for encoding in TRADITIONAL_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _private_use_share(text[:20_000]) < 0.01 and _frequent_big5_share(text[:20_000]) >= 0.7:
            return text, encoding
    return None


# GBK's rows A4-A7 (kana, Greek, Cyrillic) are where Big5 keeps its most common characters
_BIG5_LEAD_AS_GB = re.compile(r"[\u0370-\u04ff\u3040-\u30ff]")


def _big5_lead_share(text: str) -> float:
    """Share of the CJK, kana, Greek and Cyrillic characters in a GB18030 reading that are kana, Greek
    or Cyrillic (0-1).

    Big5's most common characters (lead bytes A4-A7) read as GBK's kana, Greek and Cyrillic when
    their second byte is A1 or above, and as private use below: a Big5 file whose only Chinese is
    its header ("內容,標籤" read as "ず甧,夹乓") has no private use to give it away, but this.
    Chinese text in GBK has next to none: a "の" now and then.
    """
    odd = len(_BIG5_LEAD_AS_GB.findall(text))
    return odd / max(1, odd + len(_CJK.findall(text)))


def _frequent_big5_share(text: str) -> float:
    """Share of the CJK characters in ``text`` that are among Big5's 5,401 frequent ones (A440-C67E);
    0 when there are none."""
    chars = _CJK.findall(text)
    frequent = 0
    for char in chars:
        try:
            code = int.from_bytes(char.encode("big5"), "big")
        except UnicodeEncodeError:  # a character Big5 lacks (a cp950 or HKSCS one): not a frequent one
            continue
        frequent += 0xA440 <= code <= 0xC67E
    return frequent / len(chars) if chars else 0.0


# what Windows' Western code page adds to ASCII in real text: accented letters and typographic punctuation
_WESTERN_PUNCTUATION = frozenset("‘’‚“”„–—…•€™°«»¿¡·©®£§´¨ºª\xa0×½¼¾µ²³¹‹›†‡±¢")
_LATIN_LETTER = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿŠšŽžŒœŸƒ]")
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")
WESTERN_CHECKED_CHARS = 20_000  # non-ASCII characters looked at, at most: they decide long before


# what no Western text has inside a word, in one reading or the other: letters cp1252 keeps for rare
# loanwords and symbols ("MŸller", "KŠse", "est‡" are a Mac file read as cp1252)
_RARE_IN_WORDS = frozenset("ŸŠŽŒƒ‡ˆ‰†˜‹›¤¦¨¯´¸")
# punctuation a Western text has between letters ("value—would", "Mon–Fri", "don’t", "word…word")
_WORD_PUNCTUATION = frozenset("’'‑–—…•™“”‘„‚«»°€£§©®·")


def _implausible(text: str, sample: int = WESTERN_CHECKED_CHARS) -> int:
    """How many of ``text``'s non-ASCII characters read as a wrong guess of its encoding: a capital inside a
    word ("MŸller", "seÒor", "donÕt"), a rare letter or symbol beside a letter ("est‡"), or another symbol
    between two letters ("Grš§e"). The right reading of a Western file has next to none; in the other, its
    accents or its quotes are such characters."""
    count = 0
    for match in _NOT_ASCII.finditer(text[: sample * 4]):
        i, char = match.start(), match.group()
        before, after = text[i - 1 : i], text[i + 1 : i + 2]
        if char in _WORD_PUNCTUATION:
            continue
        if char in _RARE_IN_WORDS:
            count += before.isalpha() or after.isalpha()
        elif char.isupper():
            count += before.isalpha() and after.isalpha() and after.islower()
        elif not char.isalpha():
            count += before.isalpha() and after.isalpha()
    return count


def _undefined_in_cp1252(data: bytes) -> bool:
    """Whether ``data`` holds a byte cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D)."""
    return any(byte in data for byte in (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d"))


def _western_text(data: bytes, encoding: str = "cp1252") -> str | None:
    """``data`` decoded as ``encoding`` (cp1252, or mac_roman) when it reads as Western European text
    (Excel on Windows saves English, French or Spanish so); None when it does not.

    GB18030 decodes nearly any bytes, so such a file used to import as Chinese mojibake
    ("It’s" became "It抯") without a word. In Western text each non-ASCII character is an accented
    letter beside a plain one ("Señora", "façade"), a one-letter word ("à la carte") or punctuation
    between plain characters (’ “ – …). In GBK or Big5 read as cp1252, the two bytes of each
    character make pairs of symbols and letters ("ÎÒ°®", "¤¤¤å"), which this refuses; a file
    whose Big5 reading is mostly Big5's frequent characters is refused too.
    """
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:  # bytes cp1252 leaves undefined (0x81, 0x8d, ...): not Windows Western text
        return None
    odd = [match.start() for _, match in zip(range(WESTERN_CHECKED_CHARS), _NOT_ASCII.finditer(text))]
    if not odd:
        return None

    def plain_letter(char: str) -> bool:
        return char.isascii() and char.isalpha()

    fitting = 0
    for i in odd:
        char = text[i]
        before, after = text[i - 1 : i] or " ", text[i + 1 : i + 2] or " "
        if char == "\xa0":  # a no-break space: beside plain text or the marks it binds ("10\xa0€", "«\xa0oui\xa0»")
            fitting += all(side.isascii() or side in _WESTERN_PUNCTUATION for side in (before, after))
        elif char in _WESTERN_PUNCTUATION:
            # beside plain text, a no-break space, or an accented letter on one side ("café’s", "touché”")
            sides = (before, after)
            fitting += any(side.isascii() for side in sides) and all(
                side.isascii() or side == "\xa0" or bool(_LATIN_LETTER.match(side)) for side in sides
            )
        elif _LATIN_LETTER.match(char):
            inside_a_word = plain_letter(before) or plain_letter(after)
            alone = before.isascii() and after.isascii() and not before.isalnum() and not after.isalnum()  # "à la"
            fitting += inside_a_word or alone
    if fitting < 0.95 * len(odd):
        return None
    try:
        as_big5 = data.decode("big5")
    except UnicodeDecodeError:
        return text
    return None if _frequent_big5_share(as_big5[:20_000]) >= 0.7 else text


def mixed_utf8_and_gb(data: bytes) -> tuple[str, list[int]] | None:
    """A file whose lines are Chinese in UTF-8 and Chinese in GBK: the text, each line decoded in its
    own encoding, and the GBK lines' numbers (from 1); None for any other file.

    Read whole as GB18030 (which decodes almost any bytes), the UTF-8 half of such a file came out
    as mojibake without a word. Both halves must read as common simplified Chinese: a GBK line
    that happens to be valid UTF-8 decodes to rare characters, so a pure GBK file is not taken
    for a mixed one.
    """
    # a quick look first (0.08 s for 200,000 GBK rows, against 0.5 s for the pass below): a
    # mixed file has a whole line of Chinese that is valid UTF-8
    as_utf8 = data.decode("utf-8", errors="replace")
    if not any("\ufffd" not in line and _CJK.search(line) for line in as_utf8.split("\n")):
        return None
    decoded: list[str] = []
    utf8_text: list[str] = []
    gb_text: list[str] = []
    gb_lines: list[int] = []
    for number, line in enumerate(data.split(b"\n"), 1):
        if line.isascii():
            decoded.append(line.decode("ascii"))
            continue
        try:
            text = line.decode("utf-8")
            utf8_text.append(text)
        except UnicodeDecodeError:
            try:
                text = line.decode("gb18030")
            except UnicodeDecodeError:
                return None
            gb_text.append(text)
            gb_lines.append(number)
        decoded.append(text)
    if not gb_lines or not utf8_text:
        return None
    if min(_common_simplified_share("".join(part)[:20_000]) for part in (utf8_text, gb_text)) < 0.9:
        return None
    return "\n".join(decoded), gb_lines


def mixed_utf8_and_western(data: bytes) -> tuple[str, list[int]] | None:
    """A UTF-8 file with some lines in Windows Western (cp1252): the text, each line decoded in its own
    encoding, and the cp1252 lines' numbers (from 1); None for any other file.

    French reviews in UTF-8 with one line pasted from a Windows file ("It’s", "è" as single bytes)
    fell through to GB18030, which decodes nearly any bytes: "Très bon café" became "Tr猫s bon caf茅",
    saved without a word. The UTF-8 lines must hold accented text, and each other line must read as
    Western text, which GBK bytes do not.
    """
    decoded: list[str] = []
    western_lines: list[int] = []
    accented_utf8 = False
    for number, line in enumerate(data.split(b"\n"), 1):
        if line.isascii():
            decoded.append(line.decode("ascii"))
            continue
        try:
            decoded.append(line.decode("utf-8"))
            accented_utf8 = True
        except UnicodeDecodeError:
            text = _western_text(line)
            if text is None:
                return None
            decoded.append(text)
            western_lines.append(number)
    if not western_lines or not accented_utf8:
        return None
    return "\n".join(decoded), western_lines


def line_of(data: bytes, position: int) -> int:
    """The line (from 1) that byte ``position`` of ``data`` is on; a lone CR ends a line too (old Mac files
    end every line so, and each position was on "line 1")."""
    return len(_LINE_END.findall(data, 0, position)) + 1


_LINE_END = re.compile(rb"\r\n|\r|\n")


SINGLE_BYTE_CODECS = frozenset(
    {"iso8859-1", "cp1252", "mac-roman"}
)  # every byte is a character: any file decodes, right or not


def _single_byte(encoding: str) -> bool:
    """Whether ``encoding`` (any spelling: latin1, ISO-8859-1, windows-1252) reads a byte as a character."""
    try:
        return codecs.lookup(encoding).name in SINGLE_BYTE_CODECS
    except LookupError:
        return False


def garbled_note(data: bytes, encoding: str, text: str) -> str | None:
    """When a chosen encoding garbles what automatic detection reads: Chinese, or the accented letters of
    a UTF-8 file read byte by byte ("café" as "cafÃ©"); a message saying so."""
    cjk = re.compile(r"[\u3400-\u9fff]")
    if cjk.search(text[:20_000]):
        return None  # read as Chinese, as chosen (a single-byte reading never gives Chinese)
    try:
        auto_text, auto = decode_bytes(data)
    except DataError:
        return None
    few_chinese = len(cjk.findall(auto_text[:20_000])) < 5  # more: the Chinese note below names them
    if (
        auto in ("utf-8", "utf-8-sig")
        and _single_byte(encoding)
        and (not auto_text.isascii() or auto == "utf-8-sig")  # a byte-order mark read so named a column "ï»¿text"
        and few_chinese
    ):
        # valid UTF-8 with letters beyond ASCII is, all but certainly, UTF-8: a Western file of accents
        # read byte by byte would have to spell out UTF-8's byte pairs ("Ã©") all through. Lines split at
        # "\n" alone: latin-1 reads byte 0x85 (in "ą") as a line break of its own
        pairs = zip(text.split("\n"), auto_text.split("\n"))
        garbled, sample = next(((ours, theirs) for ours, theirs in pairs if ours != theirs), (text, auto_text))
        return (
            f"Read as {encoding}, the text looks garbled ({garbled.strip()[:40]!r}); automatic detection reads the "
            f"file as UTF-8 ({sample.strip()[:40]!r}). Leave the encoding on automatic, or choose utf-8."
        )
    if auto == encoding or auto in ("cp949", "cp932", "euc-jp") or few_chinese:
        return None  # the note says the file is Chinese
    sample = next((line.strip() for line in auto_text.splitlines() if cjk.search(line)), "")[:20]
    garbled = next((line.strip() for line in text.splitlines() if line.strip() and not line.isascii()), "")[:20]
    return (
        f"Read as {encoding}, the text looks garbled ({garbled!r}); automatic detection reads the file as "
        f"{auto}, which gives Chinese ({sample!r}). Leave the encoding on automatic, or choose {auto}."
    )


def utf8_read_as_gbk_note(text: str) -> str | None:
    """When the Chinese of a decoded file is UTF-8 that was read as GBK and saved again (Excel on Chinese
    Windows opens a UTF-8 CSV so): a message showing a line and what it said; None otherwise.

    Such text is rare characters almost only ("璇勮" for "评论"), and its characters, written back as GBK,
    are UTF-8 again. Real Chinese written back so is not UTF-8, whatever its share of rare characters."""
    sample = text[:20_000]
    if len(_CJK.findall(sample)) < 20 or _common_simplified_share(sample) >= 0.6:
        return None
    lines = [line for line in sample.splitlines() if _CJK.search(line)][:200]
    restored = [line.encode("gbk", errors="replace").decode("utf-8", errors="replace") for line in lines]
    # mojibake of n characters is about 1.5n garbled ones, and gives most of the n back; rare names
    # ("沈箐潇,女") gave two stray common characters back, a share of 1.0 of next to nothing
    garbled_count = len(_CJK.findall("".join(lines)))
    restored_text = "".join(restored)
    if len(_CJK.findall(restored_text)) < 0.25 * garbled_count or _common_simplified_share(restored_text) < 0.85:
        return None
    # the line that came back whole, or with the fewest characters lost: "'这�?�酒店' was" showed the loss
    garbled, meant = min(zip(lines, restored), key=lambda pair: (pair[1].count("\ufffd"), -len(_CJK.findall(pair[1]))))
    lost = any("\ufffd" in line for line in restored)
    return (
        f"The Chinese in this file is garbled: {garbled.strip()[:24]!r} was {meant.strip()[:16]!r}. The file was "
        "saved as UTF-8, then opened as GBK and saved again (Excel on Chinese Windows does this to a UTF-8 CSV)"
        + (", and some characters were lost on the way." if lost else ".")
    )


def _common_simplified_share(text: str) -> float:
    """Share of CJK characters that are GB2312 level-1 (common simplified) characters."""
    cjk = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if len(cjk) < 2:
        return 0.0
    common = 0
    for char in cjk:
        with contextlib.suppress(UnicodeEncodeError):
            common += 0xB0 <= char.encode("gb2312")[0] <= 0xD7
    return common / len(cjk)
