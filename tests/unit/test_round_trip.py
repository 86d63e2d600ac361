"""Rebuilding an article's body from its untranslated segments gives back that body exactly."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from workflow.ingest.extract import extract
from workflow.ingest.html_fragment import parse_fragment, render_blocks
from workflow.ingest.inline import PLACEHOLDER
from workflow.segmentation import Block, split_plain_text
from workflow.services.articles import canonical_body


def plain_text(blocks: list[Block]) -> tuple[str, str]:
    """``(title, body)`` as the desk stores a plain-text article made of ``blocks``."""
    return blocks[0].text, canonical_body("text", blocks)


WORD = st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "S"],
                                      exclude_characters="<>"), min_size=1, max_size=8)
LINK = st.sampled_from(["https://example.org/a?b=1&c=2", "/local/path", "mailto:a@b.example"])


@st.composite
def segment(draw: st.DrawFn) -> tuple[str, dict[str, dict[str, str]]]:
    """Text with inline markup as placeholders, as ingestion produces it."""
    pieces: list[str] = []
    markup: dict[str, dict[str, str]] = {}
    n = 0  # placeholders are numbered in reading order, as ingestion numbers them
    for _ in range(draw(st.integers(1, 6))):
        words = " ".join(draw(st.lists(WORD, min_size=1, max_size=4)))
        kind = draw(st.sampled_from(["plain", "plain", "strong", "em", "a", "br"]))
        if kind == "plain":
            pieces.append(words)
            continue
        n += 1
        if kind == "br":
            markup[f"x{n}"] = {"tag": "br"}
            pieces.append(f"{words}<x{n}/>{draw(WORD)}")
        else:
            markup[f"g{n}"] = {"tag": kind, **({"href": draw(LINK)} if kind == "a" else {})}
            pieces.append(f"<g{n}>{words}</g{n}>")
    return " ".join(pieces), markup


BLOCKS = st.lists(
    st.tuples(st.sampled_from(["paragraph", "heading", "list_item", "quote", "caption"]),
              segment()).map(lambda t: Block(t[0], t[1][0], t[1][1])),
    min_size=1, max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(BLOCKS)
def test_a_structured_body_rebuilds_exactly_from_its_segments(blocks: list[Block]) -> None:
    body = render_blocks(blocks)
    segments, removed = parse_fragment(body)
    assert removed == []
    assert segments == blocks
    assert render_blocks(segments) == body


PARAGRAPH = st.lists(WORD, min_size=1, max_size=10).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(PARAGRAPH, min_size=1, max_size=8))
def test_a_plain_text_body_rebuilds_exactly_from_its_segments(paragraphs: list[str]) -> None:
    body = "\n\n".join(paragraphs)
    assert plain_text(split_plain_text("Title", body)) == ("Title", body)


@settings(max_examples=100, deadline=None)
@given(BLOCKS)
def test_segments_never_carry_markup_other_than_placeholders(blocks: list[Block]) -> None:
    extracted = extract(render_blocks(blocks), "html").blocks
    assert len(extracted) == len(blocks)
    for b in extracted:
        assert "<" not in PLACEHOLDER.sub("", b.text)


# News-page copies put together from parts, in each language the desk publishes: the
# extraction must give every part back where it belongs. Words come from small neutral
# lists, so a random paragraph never happens to be a credit or a footer line.
DAY = st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31))
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
MONTHS = {
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"],
    "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
           "сентября", "октября", "ноября", "декабря"],
    "ar": ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
           "أكتوبر", "نوفمبر", "ديسمبر"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}


@dataclass(frozen=True)
class PageLanguage:
    """How one language writes the parts of a news page."""

    words: list[str]
    names: list[str]
    sources: list[str]
    credits: list[str]
    footer: list[str]
    bylines: list[str]  # "{author}", "{date}", "{source}" are filled in
    dates: list[Callable[[date], str]]
    spaced: bool = True  # whether words are written with spaces between them
    stop: str = "."


LANGS = {
    "zh": PageLanguage(
        words=["渡轮", "学校", "城市", "学生", "老师", "码头", "今天", "上课", "图书馆", "家长",
               "潮汐", "海鸟", "旧楼", "重建", "市民"],
        names=["林晓明", "王芳", "张伟"], sources=["东海周报", "滨江日报"],
        credits=["责任编辑：周宁", "校对：陈静", "编辑：刘洋"],
        footer=["关于我们 | 联系我们 | 广告服务 | 网站地图", "版权所有 © 2026 东海周报社",
                "京ICP备12345678号"],
        bylines=["作者：{author} · {date} · 来源：{source}",
                 "{date} 来源：{source}　作者：{author}", "文/{author}｜{date}｜来源：{source}"],
        dates=[lambda d: f"{d.year}年{d.month}月{d.day}日", date.isoformat],
        spaced=False, stop="。"),
    "ar": PageLanguage(
        words=["المدينة", "المدرسة", "العبارة", "الأطفال", "الرصيف", "المعلمون", "الطيور",
               "البحر", "اليوم", "الجديدة"],
        names=["ليلى حداد", "محمد علي"], sources=["الأسبوعية الساحلية", "الأخبار"],
        credits=["تحرير: سامر خليل", "تصوير: نور الهدى"],
        footer=["الرئيسية | من نحن | اتصل بنا", "جميع الحقوق محفوظة © ٢٠٢٦ الأخبار"],
        bylines=["بقلم {author} · {date} · المصدر: {source}",
                 "بقلم {author}، {date}، المصدر: {source}"],
        dates=[lambda d: f"{d.day} {MONTHS['ar'][d.month - 1]} {d.year}".translate(
            ARABIC_DIGITS), lambda d: f"{d.day} {MONTHS['ar'][d.month - 1]} {d.year}"]),
    "fr": PageLanguage(
        words=["ville", "école", "ferry", "enfants", "quai", "parents", "marées", "oiseaux",
               "bibliothèque", "classe"],
        names=["Claire Morel", "Jean Dupont"], sources=["L'Hebdo du Littoral", "Le Quotidien"],
        credits=["Édité par Julien Roux", "Photos : Inès Garnier"],
        footer=["À propos | Contact | Mentions légales", "© 2026 Le Quotidien. Tous droits "
                "réservés."],
        bylines=["Par {author} | {date} | Source : {source}",
                 "Par {author}, le {date} · Source : {source}"],
        dates=[lambda d: f"{d.day} {MONTHS['fr'][d.month - 1]} {d.year}"]),
    "es": PageLanguage(
        words=["ciudad", "escuela", "mercado", "vecinos", "puestos", "fruta", "flores",
               "estación", "tren", "semana"],
        names=["Lucía Fernández", "Marcos Gil"], sources=["Diario del Puerto", "El Diario"],
        credits=["Redacción: Marcos Gil", "Con información de Agencia Litoral"],
        footer=["Quiénes somos | Contacto | Aviso legal", "Todos los derechos reservados © 2026"],
        bylines=["Por {author} · {date} · Fuente: {source}"],
        dates=[lambda d: f"{d.day} de {MONTHS['es'][d.month - 1]} de {d.year}"]),
    "ru": PageLanguage(
        words=["город", "школа", "паром", "дети", "причал", "родители", "урок", "библиотека",
               "класс", "море"],
        names=["Анна Смирнова", "Иван Петров"], sources=["Прибрежный вестник", "Вестник"],
        credits=["Редактор: Игорь Волков", "Фото: Мария Орлова"],
        footer=["О нас | Контакты | Реклама", "© 2026 Вестник. Все права защищены."],
        bylines=["Автор: {author} | {date} | Источник: {source}",
                 "Автор: {author}\n{date} · Источник: {source}"],
        dates=[lambda d: f"{d.day} {MONTHS['ru'][d.month - 1]} {d.year} г.",
               lambda d: d.strftime("%d.%m.%Y")]),
    "en": PageLanguage(
        words=["city", "school", "ferry", "children", "pier", "parents", "tides", "birds",
               "library", "classroom"],
        names=["Amina Okafor", "Luis Ortega"], sources=["The Coastal Weekly", "Daily Ledger"],
        credits=["Copyedited by Jonas Berg", "Comments to desk@ledger.example"],
        footer=["About Us | Contact us | Privacy", "© 2026 The Coastal Weekly. All rights "
                "reserved."],
        bylines=["By {author} · {date} · Source: {source}", "By {author} | {date} | {source}"],
        dates=[date.isoformat,
               lambda d: f"{MONTHS['en'][d.month - 1]} {d.day}, {d.year}"]),
}


@dataclass
class Page:
    """A generated page copy and what its extraction must give back."""

    text: str
    headline: str
    standfirst: str
    author: str
    date: str
    source: str
    credits: list[str]
    paragraphs: list[str]
    footer: list[str]


def _phrase(draw: st.DrawFn, lang: PageLanguage, stop: bool) -> str:
    words = draw(st.lists(st.sampled_from(lang.words), min_size=2, max_size=9))
    text = (" " if lang.spaced else "").join(words)
    return (text[:1].upper() + text[1:] + lang.stop) if stop else text[:1].upper() + text[1:]


@st.composite
def news_page(draw: st.DrawFn) -> Page:
    """A page copy in one of the desk's languages, its parts chosen at random."""
    lang = LANGS[draw(st.sampled_from(sorted(LANGS)))]
    day = draw(DAY)
    author, source = draw(st.sampled_from(lang.names)), draw(st.sampled_from(lang.sources))
    byline = draw(st.sampled_from(lang.bylines)).format(
        author=author, source=source, date=draw(st.sampled_from(lang.dates))(day))
    headline, standfirst = _phrase(draw, lang, False), _phrase(draw, lang, True)
    paragraphs = [_phrase(draw, lang, True) for _ in range(draw(st.integers(1, 6)))]
    credits = draw(st.lists(st.sampled_from(lang.credits), min_size=0, max_size=2,
                            unique=True))
    footer = draw(st.lists(st.sampled_from(lang.footer), min_size=1, max_size=3, unique=True))
    gap = draw(st.sampled_from(["\n", "\n\n"]))
    text = gap.join([*draw(st.lists(st.sampled_from(["World", "国际", "Общество"]),
                                    max_size=1)),
                     headline, standfirst, byline, *paragraphs, *credits, *footer])
    return Page(text, headline, standfirst, author, day.isoformat(), source, credits,
                paragraphs, footer)


@settings(max_examples=300, deadline=None)
@given(news_page())
def test_a_news_page_in_any_language_gives_each_part_back(page: Page) -> None:
    ex = extract(page.text, "auto")
    assert ex.format == "news"
    assert (ex.headline, ex.standfirst, ex.author, ex.date, ex.source) == (
        page.headline, page.standfirst, page.author, page.date, page.source)
    assert ex.credits == page.credits
    assert [b.text for b in ex.blocks] == page.paragraphs
    assert all(line in ex.dropped for line in page.footer)


@settings(max_examples=200, deadline=None)
@given(news_page())
def test_a_news_body_rebuilds_exactly_from_its_segments(page: Page) -> None:
    ex = extract(page.text, "auto")
    body = canonical_body(ex.format, ex.blocks)
    assert body == "\n\n".join(page.paragraphs)
    assert [b.text for b in extract(body, "text").blocks] == page.paragraphs


CJK_PARAGRAPH = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
                        min_size=1, max_size=30).map(lambda s: s + "。")


@settings(max_examples=200, deadline=None)
@given(st.lists(CJK_PARAGRAPH, min_size=1, max_size=8), st.sampled_from(["\n", "\n\n"]))
def test_chinese_paragraphs_stay_apart_with_or_without_blank_lines(
        paragraphs: list[str], gap: str) -> None:
    blocks = split_plain_text("标题", gap.join(paragraphs))
    assert [b.text for b in blocks[1:]] == paragraphs
    assert plain_text(blocks) == ("标题", "\n\n".join(paragraphs))
