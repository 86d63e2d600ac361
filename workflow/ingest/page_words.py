"""The words news pages use around an article, in the desk's languages.

Bylines (``By``, ``Par``, ``Por``, ``Автор``, ``بقلم``, ``作者``, ``记者``, ``文/``), source
labels, credit lines, and the footer's copyright, registration and navigation lines. Each
list is data; the patterns built from them use only bounded quantifiers and no nested
ones, so each stays linear on a 200,000-character hostile line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from workflow.segmentation import cjk_count

# Characters a page copy puts between the fields it joins on one line.
SEPARATORS = "·•|｜丨¦,，、،;；؛/／–—・"
_SEP_CLASS = re.escape(SEPARATORS)
# A strong break inside a joined line: a separator, an ideographic space, a spaced dash, or
# a run of two spaces; single spaces stay inside names and phrases.
JOINS = re.compile(r"[|｜丨¦•·・\u3000]|[^\S\n]{2,}|[^\S\n][-–—][^\S\n]")


def _alts(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first; spaces inside match any one space."""
    return "|".join(re.escape(w).replace(r"\ ", r"[^\S\n]")
                    for w in sorted(set(words), key=len, reverse=True))


# "By NAME": a bare word that counts only at the start of a line or after a separator.
AUTHOR_BARE = ("by", "written by", "words by", "par", "por", "escrito por", "von", "بقلم",
               "كتب", "كتبت", "автор", "авторы")
AUTHOR_COLON = ("author", "authors", "auteur", "auteurs", "texte", "autor", "autores",
                "texto", "автор", "авторы", "текст", "الكاتب", "كاتب")
# Chinese labels need no space before the name: "记者王芳", "作者：张明".
AUTHOR_CJK = ("作者", "记者", "本报记者", "特约记者", "实习记者", "见习记者", "通讯员", "撰文",
              "撰稿", "文字", "執筆", "記者")
SOURCE_COLON = ("source", "sources", "fuente", "fuentes", "источник", "источники", "المصدر",
                "مصدر", "quelle", "fonte")
SOURCE_CJK = ("来源", "來源", "稿源", "出处", "出處")
# Words that only introduce the date that follows them.
DATE_LABELS = ("published", "updated", "posted", "date", "publié le", "publié", "mis à jour le",
               "mis à jour", "le", "publicado el", "publicado", "actualizado", "fecha", "el",
               "опубликовано", "обновлено", "дата", "发布时间", "发布日期", "更新时间", "时间",
               "日期", "發布時間", "نشر في", "نشر بتاريخ", "تاريخ النشر", "آخر تحديث",
               "التاريخ", "بتاريخ")

_COLON = r"[^\S\n]{0,2}[:：]"
LABEL = re.compile(
    r"(?<![^\s" + _SEP_CLASS + r"])(?:"
    r"(?P<author_colon>" + _alts(AUTHOR_COLON) + ")" + _COLON +
    r"|(?P<source>" + _alts(SOURCE_COLON) + ")" + _COLON +
    r"|(?P<author_bare>" + _alts(AUTHOR_BARE) + r")(?=[^\S\n])"
    r"|(?P<author_cjk>" + _alts(AUTHOR_CJK) + r")[^\S\n]{0,2}[:：/／|｜]?"
    r"|(?P<author_slash>文)[^\S\n]{0,2}[:：/／|｜]"
    r"|(?P<source_cjk>" + _alts(SOURCE_CJK) + r")[^\S\n]{0,2}[:：]?"
    r"|(?P<dated>" + _alts(DATE_LABELS) + r")(?![^\W\d_])(?:" + _COLON + r")?"
    r")",
    re.IGNORECASE,
)

_CREDIT_EN = (r"(?:copy[- ]?edited|edited|comments|reporting|additional reporting|translated|"
              r"photos?|graphics|fact[- ]checked|produced|written)\b[^.\n]{0,80}\b(?:by|to)\b")
# Labels followed by a colon (or, in Chinese, a slash): "责任编辑：", "تحرير:", "Relecture :".
CREDIT_COLON = (
    "责任编辑", "责编", "编辑", "校对", "审核", "审校", "终审", "监制", "统筹", "策划", "摄影",
    "图片", "图", "翻译", "编译", "制图", "设计", "出品", "主编", "值班编辑", "实习编辑", "视频",
    "剪辑", "签发", "責任編輯", "編輯",
    "تحرير", "مراجعة", "تدقيق", "التدقيق اللغوي", "ترجمة", "تصوير", "إعداد", "اعداد", "تنسيق",
    "إشراف", "اشراف", "المحرر", "تحرير ومراجعة",
    "édition", "edition", "rédaction", "redaction", "relecture", "révision", "correction",
    "photo", "photos", "illustration", "illustrations", "infographie", "vidéo", "traduction",
    "crédit photo", "crédits", "editor", "editing",
    "edición", "redacción", "corrección", "revisión", "traducción", "foto", "fotos",
    "fotografía", "fotografías", "ilustración", "infografía", "vídeo", "video",
    "редактор", "редакторы", "выпускающий редактор", "редакция", "корректор", "фото",
    "фотографии", "иллюстрация", "иллюстрации", "перевод", "вёрстка", "верстка", "видео",
    "инфографика",
)
# Past participles followed by "par"/"por"/"de": "Édité par", "Con información de".
CREDIT_BY = ("édité", "edité", "relu", "révisé", "revu", "corrigé", "traduit", "vérifié",
             "mis en page", "propos recueillis", "editado", "redactado", "corregido",
             "traducido", "verificado", "revisado", "con información")
# Russian credits are verbs: "Редактировала Анна Смирнова".
CREDIT_VERB = ("редактировал", "редактировала", "перевёл", "перевел", "перевела",
               "подготовил", "подготовила", "проверил", "проверила")
CREDIT = re.compile(
    r"(?:" + _CREDIT_EN +
    # "Source: Reuters", "المصدر: وكالات" under the body: kept beside the credits
    r"|(?:" + _alts(CREDIT_COLON + SOURCE_COLON + SOURCE_CJK) + r")[^\S\n]{0,2}[:：/／]"
    r"|(?:" + _alts(CREDIT_BY) + r")[^\S\n]{1,3}(?:par|por|de)(?![^\W\d_])"
    r"|(?:" + _alts(CREDIT_VERB) + r")[^\S\n]"
    r")",
    re.IGNORECASE,
)
# Without a colon a label is a credit only on a short line: "Redacción El Diario", "编辑 李华".
CREDIT_SHORT_WORDS = ("责任编辑", "责编", "编辑", "校对", "摄影", "翻译", "编译", "تحرير", "مراجعة",
                      "ترجمة", "تصوير", "إعداد", "اعداد", "rédaction", "redacción", "редакция",
                      "редактор", "перевод")
CREDIT_SHORT = re.compile(r"(?:" + _alts(CREDIT_SHORT_WORDS) + r")[^\S\n]", re.IGNORECASE)
_SHORT = 60
# "……他说。（责任编辑：李华）": Chinese pages end the last paragraph with the credit.
TRAILING_CREDIT = re.compile(r"[（(【\[][^\S\n]{0,2}(?P<credit>(?:" + _alts(CREDIT_COLON)
                             + r")[^\S\n]{0,2}[:：/／][^（）()【】\[\]\n]{1,40})[）)】\]]$")
END_MARK = re.compile(r"[（(][^\S\n]{0,2}(?:完|终|end|fin|конец|انتهى)[^\S\n]{0,2}[）)]|-30-|###",
                      re.IGNORECASE)

COPYRIGHT = re.compile(
    r"©|\(c\)[^\S\n]{0,2}\d{4}|copyright[^\S\n]{0,2}(?:\d{4}|©|\(c\))|" + _alts((
        "all rights reserved", "版权所有", "版權所有", "未经授权", "不得转载", "禁止转载",
        "جميع الحقوق محفوظة", "حقوق النشر محفوظة", "الحقوق محفوظة", "tous droits réservés",
        "droits réservés", "todos los derechos reservados", "derechos reservados",
        "все права защищены", "права защищены", "alle rechte vorbehalten",
        "todos os direitos reservados", "tutti i diritti riservati")),
    re.IGNORECASE,
)
REGISTRATION = re.compile(
    r"icp[备证]|licen[cs]e[^\S\n]{0,2}(?:no|number|#)|эл[^\S\n]?№|" + _alts((
        "公网安备", "增值电信业务经营许可证", "新闻信息服务许可证", "网络文化经营许可证",
        "违法和不良信息举报", "举报电话", "свидетельство о регистрации", "роскомнадзор",
        "cppap", "dépôt légal", "depósito legal", "رقم الترخيص", "ترخيص رقم",
        "السجل التجاري")),
    re.IGNORECASE,
)
NAV = re.compile(r"(?:" + _alts((
    "about us", "contact us", "privacy", "terms", "advertise", "subscribe", "follow us",
    "partners", "partner", "home", "sitemap",
    "关于我们", "联系我们", "广告服务", "网站地图", "隐私政策", "免责声明", "加入我们",
    "意见反馈", "合作伙伴", "友情链接", "首页", "返回顶部", "返回首页", "分享到", "订阅",
    "网站声明", "版权声明", "投稿", "關於我們", "聯繫我們",
    "من نحن", "اتصل بنا", "اتصلوا بنا", "سياسة الخصوصية", "شروط الاستخدام", "أعلن معنا",
    "اعلن معنا", "اشترك", "تابعنا", "الرئيسية", "خريطة الموقع", "شركاؤنا",
    "à propos", "qui sommes-nous", "contact", "contactez-nous", "mentions légales",
    "politique de confidentialité", "conditions", "cgu", "publicité", "s'abonner",
    "abonnez-vous", "suivez-nous", "partenaires", "accueil", "plan du site", "newsletter",
    "quiénes somos", "sobre nosotros", "contacto", "contáctenos", "aviso legal",
    "política de privacidad", "términos", "publicidad", "suscríbete", "suscribirse",
    "síguenos", "socios", "inicio", "mapa del sitio",
    "о нас", "о проекте", "контакты", "реклама", "политика конфиденциальности",
    "пользовательское соглашение", "подписаться", "подписка", "мы в соцсетях", "партнёры",
    "партнеры", "главная", "карта сайта", "обратная связь")) + r")(?![^\W\d_])",
    re.IGNORECASE,
)
# "Read more: …" between paragraphs links to another story; it is dropped, the body goes on.
RELATED = re.compile(r"(?:" + _alts((
    "read more", "read also", "related", "see also", "more on this", "lire aussi",
    "à lire aussi", "a lire aussi", "voir aussi", "lea también", "lee también", "ver también",
    "le puede interesar", "читайте также", "смотрите также", "по теме", "اقرأ أيضا",
    "اقرأ أيضاً", "اقرأ ايضا", "مواضيع ذات صلة", "相关阅读", "延伸阅读", "相关新闻", "推荐阅读",
    "相关报道")) + r")(?![^\W\d_])", re.IGNORECASE)
STANDFIRST_LABEL = re.compile(r"(?:摘要|导语|导读|内容提要|核心提示|ملخص)[^\S\n]{0,2}[:：]")
_SENTENCE_END = set(".!?…:;\"'”’»)」』）】》。！？；：؟۔")
_FOOTER_MAX = 300


def pieces(line: str) -> list[str]:
    """The fields of a line that joins several (``关于我们｜联系我们``, ``编辑：A　校对：B``)."""
    return [p.strip() for p in JOINS.split(line) if p.strip()]


def is_credit(line: str) -> bool:
    """Whether ``line`` credits the editing, photos or translation of the article."""
    if CREDIT.match(line):
        return True
    return len(line) <= _SHORT and CREDIT_SHORT.match(line) is not None


def credits_of(line: str) -> list[str]:
    """The credits on a credit line, one per field when the page joined several."""
    parts = pieces(line) if len(line) <= _FOOTER_MAX else [line]
    return parts if len(parts) > 1 and all(is_credit(p) for p in parts) else [line]


def is_footer(line: str) -> bool:
    """Copyright, registration numbers, the site's links: what ends a page, never prose."""
    if len(line) > _FOOTER_MAX:
        return False
    if COPYRIGHT.search(line) or REGISTRATION.search(line):
        return True
    if NAV.match(line) and not is_prose(line):
        return True
    parts = pieces(line)
    short = [p for p in parts if len(p) <= 24 and len(p.split()) <= 4]
    return len(parts) >= 3 and len(short) == len(parts)


def is_related_link(line: str) -> bool:
    """A link to another story inside the body: ``Read more: …``, ``相关阅读：…``."""
    return len(line) <= _FOOTER_MAX and RELATED.match(line) is not None


def is_end_mark(line: str) -> bool:
    """The wire's end-of-story mark on a line of its own: ``（完）``, ``-30-``, ``###``."""
    return END_MARK.fullmatch(line.strip()) is not None


def is_prose(line: str) -> bool:
    """Body paragraphs are sentences; navigation lines and labels are short and unpunctuated."""
    stripped = line.rstrip()
    if not stripped:
        return False
    return (stripped[-1] in _SENTENCE_END or len(stripped.split()) >= 12
            or cjk_count(stripped) >= 30)
