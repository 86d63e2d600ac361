"""Every article of the corpus through every engine installed here, by the translate use case.

The corpus (tests/fixtures/corpus) is wire and magazine copy written for the project:
long sentences, abbreviations, quotations, lists, figures in every form, dates, URLs and
e-mail addresses, and a Chinese and an Arabic article. For each source language, every
engine that serves a pair from it directly (the Apertium pairs, the demo models through
transformers and CTranslate2) and the chain routing would pick through other languages
translates each article; the job must reach a draft with a translation for every
sentence and every figure, URL, e-mail and placeholder of the source. A demo model writes
nonsense for sentences it never saw: these guarantees are the pipeline's, not the model's.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from _pytest.mark import ParameterSet
from sqlalchemy import select

from tests.conftest import make_user
from workers.routing import engine_for, plan, served
from workflow import mt_pipeline
from workflow.db import Database
from workflow.engine import EngineFor, MTEngine, MTResult
from workflow.languages import LANGUAGES
from workflow.masking import mask
from workflow.models import TranslatedSegment, Translation, User
from workflow.qa import check_segment
from workflow.segmentation import split_plain_text
from workflow.sentences import split_sentences
from workflow.services import jobs
from workflow.services.articles import submit_article
from workflow.settings import Settings, load
from workflow.uow import UnitOfWork

pytestmark = pytest.mark.integration

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"
ARTICLES = sorted(p.name for p in CORPUS.iterdir())
EDITOR = "editor@desk.test"


@dataclass(frozen=True)
class Article:
    """One corpus file: its language (the name's prefix), format, title and body."""

    language: str
    format: str
    title: str
    body: str


def article(name: str) -> Article:
    text = (CORPUS / name).read_text(encoding="utf-8")
    language = name.split("_")[0]
    if name.endswith(".html"):
        return Article(language, "html", "", text)
    title, _, body = text.partition("\n\n")
    return Article(language, "text", title.strip(), body)


@dataclass(frozen=True)
class Way:
    """One engine (or chain) that translates the source language into ``target``."""

    how: str
    target: str
    engine: MTEngine


@pytest.fixture(scope="module")
def settings(demo_models: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Default routing over the demo models and the Apertium pairs installed here."""
    return replace(load(), models_dir=demo_models, routes="",
                   ct2_cache_dir=tmp_path_factory.mktemp("ct2"))


def ways_from(source: str, settings: Settings) -> list[Way]:
    """Every direct engine for a pair from ``source``, and each chain routing would choose."""
    ways = [Way(f"{c.spec} ({c.model}) {a}→{b}", b, c.engine)
            for (a, b), found in sorted(served(settings).items()) if a == source
            for c in found if c.engine is not None]
    for target in LANGUAGES:
        chained = [o for o in plan(source, target, settings).options if o.chained][:1]
        ways += [Way(o.how, target, o.engine) for o in chained]
    return ways


def test_every_source_language_of_the_corpus_has_engines_or_is_known_to_have_none(
        settings: Settings) -> None:
    by_language = {article(name).language for name in ARTICLES}
    assert by_language == {"en", "es", "fr", "zh", "ar"}
    assert ways_from("en", settings), "no engine translates English here"
    assert ways_from("zh", settings) == [] and ways_from("ar", settings) == []


def protected(text: str) -> Counter[str]:
    """Figures, URLs, e-mails and placeholders, as masking finds them."""
    return Counter(mask(text).originals)


class Recorder:
    """What the pipeline sent to engines and what came back, unit by unit."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.outputs: dict[str, str] = {}
        real = mt_pipeline.call

        def call(engine: MTEngine, texts: Sequence[str], source: str, target: str
                 ) -> list[MTResult]:
            results = real(engine, texts, source, target)
            self.outputs.update(zip(texts, (r.text for r in results), strict=True))
            return results

        monkeypatch.setattr(mt_pipeline, "call", call)


@dataclass(frozen=True)
class Job:
    """A translation job after the worker's use case ran, with its segments."""

    state: str
    error: str | None
    segments: list[tuple[str, str | None, list[str]]]  # source, MT, flag codes


def translate(db: Database, a: Article, target: str, engine_for: EngineFor) -> Job:
    """Submit ``a`` for ``target`` and run the translate use case as a worker would."""
    with UnitOfWork(db) as uow:
        editor = uow.session.scalars(select(User).where(User.email == EDITOR)).one()
        created = submit_article(uow, editor, title=a.title, body=a.body,
                                 source_language=a.language, target_languages_=[target],
                                 format=a.format)
        tid = created.translations[0].id
    assert jobs.translate(lambda: UnitOfWork(db), tid, engine_for, worker="corpus") == "done"
    with db.session() as s:
        t = s.get(Translation, tid)
        assert t is not None
        rows = s.scalars(select(TranslatedSegment).where(TranslatedSegment.translation_id == tid)
                         .order_by(TranslatedSegment.position))
        return Job(t.state, t.error, [(r.source_text, r.mt_text,
                                       [f["code"] for f in json.loads(r.mt_flags or "[]")])
                                      for r in rows])


def problems(job: Job, source: str, recorder: Recorder) -> list[str]:
    """What breaks the pipeline's guarantees in ``job``, in words (nothing, if it holds)."""
    found = [] if job.state == "draft" else [f"state {job.state}: {job.error}"]
    for text, mt, flags in job.segments:
        if not (mt or "").strip():
            found.append(f"no translation for {text!r}")
            continue
        assert mt is not None
        lost = protected(text) - protected(mt)
        if lost:
            found.append(f"lost {sorted(lost)} from {text!r}: {mt!r}")
        qa = [i.message for i in check_segment(text, mt) if i.check in ("numbers", "placeholders")]
        if qa:
            found.append(f"QA on {text!r} → {mt!r}: {qa}")
        for sentence in split_sentences(text, source):
            masked = mask(sentence.text)
            if not masked.translatable():
                continue
            out = recorder.outputs.get(masked.text)
            if out is None and "split_long" not in flags:
                found.append(f"sentence never sent to the engine: {sentence.text!r}")
            elif out is not None and not out.strip():
                found.append(f"empty translation of the sentence {sentence.text!r}")
    return found


def fixed(engine: MTEngine) -> EngineFor:
    """Routing that gives ``engine`` for any pair."""
    return lambda source, target: engine


KINDS = ("apertium", "chain", "ctranslate2", "transformers")
TRANSLATED = [n for n in ARTICLES if article(n).language not in ("zh", "ar")]
# The transformers engine runs the very weights CTranslate2 runs, many times slower on two
# shared cores: by default it drafts one article through one demo model, the rest is slow.
QUICK_TRANSFORMERS = ("en_wire_storm.txt", "demo-opus-mt-en-es")


def kind_of(way: Way) -> str:
    first = way.how.split(" ")[0]
    return first if first in KINDS else "chain"


def cases() -> list[ParameterSet]:
    out = []
    for name in TRANSLATED:
        for kind in KINDS:
            if kind != "transformers":
                out.append(pytest.param(name, kind, id=f"{name}-{kind}"))
            elif name == QUICK_TRANSFORMERS[0]:
                out += [pytest.param(name, f"{kind}:{QUICK_TRANSFORMERS[1]}",
                                     id=f"{name}-{kind}-quick"),
                        pytest.param(name, f"{kind}:!{QUICK_TRANSFORMERS[1]}",
                                     id=f"{name}-{kind}-rest", marks=pytest.mark.slow)]
            else:
                out.append(pytest.param(name, kind, id=f"{name}-{kind}",
                                        marks=pytest.mark.slow))
    return out


def chosen(way: Way, kind: str) -> bool:
    """Whether ``way`` is of ``kind`` (``kind``, ``kind:model`` or ``kind:!model``)."""
    base, _, model = kind.partition(":")
    if kind_of(way) != base:
        return False
    return not model or (model[1:] not in way.how if model[0] == "!" else model in way.how)


@pytest.mark.timeout(600)
@pytest.mark.parametrize(("name", "kind"), cases())
def test_every_engine_here_drafts_the_article_keeping_every_sentence_and_figure(
        name: str, kind: str, settings: Settings, sqlite_db: Database,
        monkeypatch: pytest.MonkeyPatch) -> None:
    a = article(name)
    make_user(sqlite_db, EDITOR, ["editor"])
    ways = [w for w in ways_from(a.language, settings) if chosen(w, kind)]
    if not ways:
        pytest.skip(f"no {kind} engine translates {a.language} on this machine")
    failures = []
    recorder = Recorder(monkeypatch)
    for way in ways:
        recorder.outputs.clear()
        job = translate(sqlite_db, a, way.target, fixed(way.engine))
        failures += [f"{way.how}: {p}" for p in problems(job, a.language, recorder)]
    assert failures == [], "\n".join(failures)


# The Chinese and Arabic articles, sentence by sentence, as the pipeline cuts them.
SENTENCES = {
    "zh_wire_ferry.txt": [
        ["新渡轮航线将于4月1日开通"],
        ["新华社上海3月14日电 上海市交通委员会14日宣布，连接外滩和崇明岛的新渡轮航线将于"
         "2020年4月1日正式开通，每天往返12个班次，预计每年运送乘客约9.5万人次。",
         "“这条航线把单程时间从两个小时缩短到了50分钟。”市交通委员会副主任王明说。",
         "首班船每天上午10:30从外滩码头出发。"],
        ["据介绍，项目总投资45亿元，其中四分之三来自市财政。",
         "船票价格为每人30元，65岁以上老人免费乘坐！",
         "市民可以登录网站https://ferry.example.cn查询时刻表，也可以发送电子邮件至"
         "service@ferry.example.cn咨询。"],
        ["崇明岛居民对新航线期待已久？", "“当然！”一位居民笑着说。"],
    ],
    "ar_wire_port.txt": [
        ["افتتاح رصيف جديد في ميناء العقبة يستقبل ٩٥٬٠٠٠ حاوية سنويا"],
        ["العقبة، ١٤ آذار (لينغوادسك) - افتتح وزير النقل الأردني السيد خالد حداد صباح اليوم في "
         "الساعة ١٠:٣٠ رصيفا جديدا في ميناء العقبة، بكلفة بلغت ٤٫٥ مليار دولار، ويستطيع الرصيف "
         "استقبال ٩٥٬٠٠٠ حاوية سنويا.",
         "وقال الوزير إن الأعمال بدأت في ١ أبريل ٢٠٢٠ وانتهت قبل موعدها بثلاثة أشهر."],
        ["هل سيخفض الرصيف الجديد أسعار الشحن؟",
         "قال مدير الميناء إن الأسعار قد تنخفض بنسبة ٢٫١ في المئة خلال العام الأول.",
         "وأضاف: \"نتوقع أن يرتفع عدد السفن بمقدار الربع.\""],
        ["للمزيد من المعلومات يمكن زيارة الموقع https://aqabaport.example.jo أو مراسلة "
         "media@aqabaport.example.jo."],
    ],
}


@pytest.mark.parametrize("name", sorted(SENTENCES))
def test_chinese_and_arabic_articles_are_cut_into_their_sentences(name: str) -> None:
    a = article(name)
    blocks = split_plain_text(a.title, a.body)
    assert [[s.text for s in split_sentences(b.text, a.language)] for b in blocks] \
        == SENTENCES[name]


@pytest.mark.parametrize("name", sorted(SENTENCES))
def test_chinese_and_arabic_articles_reach_a_draft_for_people_when_no_engine_serves_them(
        name: str, settings: Settings, sqlite_db: Database) -> None:
    a = article(name)
    make_user(sqlite_db, EDITOR, ["editor"])
    for target in ("en", "es"):
        job = translate(sqlite_db, a, target, lambda s, t: engine_for(s, t, settings))
        assert (job.state, job.error) == ("draft", None)
        assert [text for text, _, _ in job.segments] == [
            b.text for b in split_plain_text(a.title, a.body)]
        assert all(mt is None and flags == ["no_engine"] for _, mt, flags in job.segments)
