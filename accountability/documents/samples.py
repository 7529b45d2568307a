"""A complete sample context for every document kind.

They serve three purposes: an uploaded office template is validated by
rendering it with its kind's sample; the tests and the benchmark render them;
and they document, by example, every field a template may use. Article texts
are quoted from the rulebook, never retyped.
"""

from __future__ import annotations

import copy
from typing import Any

from accountability.documents.constants import default_organ
from accountability.documents.formatting import typeset
from accountability.documents.kinds import DocumentKind
from accountability.documents.quotes import article


def _common(number: str = "") -> dict[str, Any]:
    organ = default_organ()
    return {
        "organ": organ,
        "number": number,
        "date": "2026年3月6日",
        "copy_to": f"{organ['archive_department']}，{organ['superior_office']}，张三同志所在单位",
        "printed_by": organ["office"],
        "printed_on": "2026年3月6日",
    }


_PERSON = {
    "name": "张三",
    "unit": "镇雄县纪委监委第三纪检监察室",
    "post": "副主任",
    "role": "具体承办人",
    "role_text": "系本案具体承办人",
}

_FACTS = [
    "经查，2025年9月，张三同志在承办某镇党委副书记李某某违规收受礼金问题线索核查工作中，"
    "未按照《纪检监察机关处理检举控告工作规则》和本委线索处置工作细则的要求，"
    "在未报经审批的情况下，擅自将谈话笔录交由被反映人所在单位人员转交，"
    "导致核查工作信息外泄，被反映人与相关人员串通，核查工作一度陷入被动，造成不良影响。",
    "2025年10月，县纪委监委纪检监察干部监督室在工作中发现上述问题，经报批后予以受理并组成调查组开展调查。",
]


def decision() -> dict[str, Any]:
    context = _common("镇纪监干〔2026〕3号")
    context.update(
        {
            "title": "责任追究决定书",
            "person": {
                **_PERSON,
                "particulars": "张三，男，1985年生，中共党员，"
                "现任镇雄县纪委监委第三纪检监察室副主任。",
            },
            "facts": list(_FACTS),
            "statement": [
                "张三同志在陈述中称：对上述事实无异议，系工作疏忽所致，已深刻反思。",
            ],
            "finding": [
                "张三同志作为具体承办人，其上述行为属于《镇雄县纪检监察干部工作责任追究办法"
                "（试行）》（以下简称《办法》）"
                f"第八条第（三）项“{article('第八条第(三)项')['text'].rstrip('。')}”所列情形，"
                "情节较重。",
                f"张三同志具有《办法》第十四条第（二）项“{article('第十四条第(二)项')['text'].rstrip('；')}”"
                "情节，可以从轻或者减轻追究责任。",
            ],
            "decision_text": [
                "依据《办法》第八条第（三）项、第十条、第十四条第（二）项的规定，"
                "经2026年3月5日县纪委常委会会议研究，决定给予张三同志诫勉处理。",
                "责令张三同志于2026年4月30日前完成整改，"
                "并向县纪委监委纪检监察干部监督室书面报告整改情况。",
            ],
            "restrictions": [
                "依照《办法》第十七条和《关于对党员领导干部进行诫勉的规定》的规定，"
                "张三同志自本决定作出之日起，至2026年9月4日不得提拔或者重用；"
                "至2026年12月31日不得评优评先。",
            ],
            "appeal": {
                "text": typeset(
                    "张三同志如对本决定不服，可以依照《办法》第十六条的规定，自接到本决定之日起15日内，"
                    "向中共镇雄县纪律检查委员会或者中共昭通市纪律检查委员会提出书面申诉。"
                    "申诉期间，不停止本决定的执行。"
                ),
                "deadline_text": "本决定于2026年3月9日送达本人，申诉期限至2026年3月24日届满。",
            },
            "decided_on": "2026年3月5日",
        }
    )
    return context


def assessment_sheet() -> dict[str, Any]:
    organ = default_organ()
    return {
        "organ": organ,
        "number": "",
        "date": "2026年3月6日",
        "copy_to": "",
        "printed_by": organ["office"],
        "printed_on": "2026年3月6日",
        "case": {"reference": "ZX-2025-017", "title": "张三等2名同志有关问题"},
        "person": {
            **_PERSON,
            "particulars": "张三，男，1985年生，中共党员，现任镇雄县纪委监委第三纪检监察室副主任。",
        },
        "decision": {"number": "镇纪监干〔2026〕3号", "meeting": "2026年3月5日县纪委常委会会议"},
        "rulebook": {
            "title": "镇雄县纪检监察干部工作责任追究办法（试行）",
            "text": "依第十九条及从旧兼从轻原则，适用规则版本《镇雄县纪检监察干部工作责任追究办法"
            "（试行）》（2020年10月30日起施行）：行为发生时与决定时施行的为同一版本。",
        },
        "facts_rows": [
            {"label": "责任主体类别", "text": "具体承办人（第五条）"},
            {"label": "情形", "text": f"第八条第（三）项：{article('第八条第(三)项')['text']}"},
            {"label": "情节", "text": "较重"},
            {
                "label": "从轻减轻情节",
                "text": f"第十四条第（二）项：{article('第十四条第(二)项')['text']}",
            },
            {"label": "从重情节", "text": "无"},
            {"label": "一年内被追究次数", "text": "1次（含本次）"},
        ],
        "outcome_rows": [
            {"label": "适用档次", "text": "情节较重（第十条）"},
            {"label": "可选措施", "text": "通报、诫勉、停职检查、调整职务、责令辞职、降职、免职"},
            {"label": "减轻后可选措施", "text": "批评教育、提醒约谈、诫勉谈话、责令限期整改"},
            {"label": "决定结果", "text": "2026年3月5日，对张三同志给予诫勉、责令限期整改处理。"},
        ],
        "restrictions": [
            {
                "label": "不得提拔或者重用",
                "period": "2026年3月5日至2026年9月4日",
                "measure": "诫勉",
                "basis": "《关于对党员领导干部进行诫勉的规定》："
                "受到诫勉的，六个月内不得提拔或者重用",
                "certainty": "依据公开资料转引的上位规定",
            },
            {
                "label": "不得评优评先",
                "period": "2026年3月5日至2026年12月31日",
                "measure": "诫勉",
                "basis": "《关于对党员领导干部进行诫勉的规定》：受到诫勉的，当年不得评优评先",
                "certainty": "依据公开资料转引的上位规定",
            },
        ],
        "appeal_rows": [
            {"label": "作出决定之日", "text": "2026年3月5日"},
            {"label": "申诉期满", "text": "2026年3月24日届满"},
            {"label": "执行", "text": "申诉期间不停止决定的执行"},
        ],
        "steps": [
            {"number": "1", "text": "被追究责任者为具体承办人（第五条），其工作责任内容见第七条。"},
            {
                "number": "2",
                "text": "情节认定为“较重”，依第十条适用“较重”档措施：通报、诫勉、停职检查、"
                "调整职务、责令辞职、降职、免职。",
            },
        ],
        "interpretations": [
            {
                "title": "影响期的起算",
                "ref": "第十七条",
                "text": "影响期自决定作出之日起算，当日计入，至期满月对应日的前一日止。",
            },
        ],
        "warnings": ["2026年的节假日安排已录入，申诉期限按法定节假日计算。"],
        "prepared_by": "周九",
    }


def appeal_review() -> dict[str, Any]:
    context = _common("镇纪监干〔2026〕9号")
    context.update(
        {
            "person": dict(_PERSON),
            "intro": (
                "申诉人张三不服本机关2026年3月6日作出的《责任追究决定书》（镇纪监干〔2026〕3号），"
                "于2026年3月16日提出书面申诉，在规定的期限内。本机关依照第十六条的规定进行了复查，现将复查情况决定如下。"
            ),
            "grounds": [
                "申诉人认为，谈话笔录转交系经部门负责人口头同意，不属于擅自作出决定，请求撤销原决定。",
            ],
            "findings": [
                "经复查，申诉人所称部门负责人口头同意一节，经核实部门负责人未作同意表示，申诉人亦未能提供其他证据，申诉理由不能成立。",
                "原决定认定事实清楚，适用第八条第（三）项、第十条和第十四条第（二）项正确，处理适当。",
            ],
            "articles": [article("第十六条")],
            "outcome": [
                "经2026年4月2日县纪委常委会会议研究，决定维持原责任追究决定。",
                "原决定的执行不因申诉而停止。",
            ],
        }
    )
    return context


def filing_report() -> dict[str, Any]:
    context = _common("镇纪监干〔2026〕4号")
    organ = context["organ"]
    context.update(
        {
            "copy_to": organ["archive_department"],
            "title": "关于张三等同志责任追究情况的备案报告",
            "addressee": organ["superior_office"],
            "body": [
                "2025年10月，我委纪检监察干部监督室在工作中发现第三纪检监察室在问题线索核查中存在履职不到位的问题，"
                "经报批后予以受理并组成调查组开展调查。2026年3月5日，县纪委常委会会议听取调查组的报告，"
                "对相关责任人作出责任追究决定。具体情况如下：",
            ],
            "decisions": [
                {
                    "number": "一、",
                    "text": "张三，镇雄县纪委监委第三纪检监察室副主任（具体承办人），给予诫勉处理，"
                    "责令限期整改（镇纪监干〔2026〕3号）。",
                },
                {
                    "number": "二、",
                    "text": "李四，镇雄县纪委监委第三纪检监察室主任（部门负责人），"
                    "给予批评教育（镇纪监干〔2026〕5号）。",
                },
            ],
            "closing": (
                "根据《镇雄县纪检监察干部工作责任追究办法（试行）》第十三条的规定，现予报备。"
            ),
            "attachments": [
                "附件：1.责任追究决定书（镇纪监干〔2026〕3号）",
                "　　　2.责任追究决定书（镇纪监干〔2026〕5号）",
            ],
        }
    )
    return context


def transfer_letter() -> dict[str, Any]:
    context = _common("镇纪监干〔2026〕7号")
    context.update(
        {
            "copy_to": context["organ"]["superior_office"],
            "title": "关于移送王五涉嫌犯罪问题的函",
            "addressee": "镇雄县人民检察院",
            "body": [
                "我委在对纪检监察干部履职问题开展责任追究调查中发现，下列人员的行为涉嫌犯罪。"
                "依照《镇雄县纪检监察干部工作责任追究办法（试行）》第十条“涉嫌犯罪的，移送司法机关依法处理”的规定，"
                "现将有关问题及材料移送你院依法处理：",
            ],
            "persons": [
                {
                    "number": "一、",
                    "text": "王五，镇雄县纪委监委第一监督检查室干部（具体承办人），"
                    "涉嫌在案件查办中泄露案情并收受他人财物。",
                },
            ],
            "closing": "请依法处理，并将处理结果函告我委。",
            "attachments": ["附件：案件材料目录及材料（共1册）"],
            "contact": "赵六，0870-0000000",
        }
    )
    return context


def investigation_report() -> dict[str, Any]:
    organ = default_organ()
    return {
        "organ": organ,
        "number": "",
        "date": "2026年2月20日",
        "title": "关于张三等同志在问题线索核查中履职不到位问题的调查报告",
        "addressee": "县纪委常委会",
        "signed_by": "调查组",
        "intro": [
            "2025年10月，纪检监察干部监督室在工作中发现第三纪检监察室在问题线索核查中存在履职不到位的问题，"
            "经报批于2025年10月20日受理。监督室会同案件监督管理室、第一纪检监察室成立调查组"
            "（组长：赵六；成员：钱七、孙八），调取了相关材料，与有关人员谈话，听取了被调查人的陈述和申辩。"
            "现将调查情况报告如下。",
        ],
        "persons": [
            {
                "heading": "（一）张三同志的问题",
                "profile": "张三，镇雄县纪委监委第三纪检监察室副主任，本案具体承办人。",
                "facts": list(_FACTS[:1]),
                "statement": ["张三同志对上述事实无异议，表示系工作疏忽所致。"],
                "assessment": [
                    "情形：第八条第（三）项；情节：较重；从轻或者减轻情节：第十四条第（二）项。",
                    "测算结果：适用情节较重的处理，可选措施为通报、诫勉、停职检查、调整职务、责令辞职、降职、免职；"
                    "具有从轻或者减轻情节，可在情节较轻的措施中选择。",
                    "依据：第八条第（三）项、第十条、第十四条第（二）项。",
                ],
                "recommendation": "建议给予张三同志诫勉处理，并责令限期整改。",
                "departure": "",
            },
            {
                "heading": "（二）李四同志的问题",
                "profile": "李四，镇雄县纪委监委第三纪检监察室主任，部门负责人。",
                "facts": [
                    "李四同志作为部门负责人，对承办人的线索核查工作督促检查不力，未及时发现并纠正违规转交谈话笔录的问题。"
                ],
                "statement": ["李四同志拒绝陈述和申辩，调查组已于2026年2月10日记录在案。"],
                "assessment": [
                    "情形：第八条第（三）项；情节：较轻。",
                    "测算结果：适用情节较轻的处理，可选措施为批评教育、提醒约谈、诫勉谈话，并责令限期整改。",
                    "依据：第八条第（三）项、第十条。",
                ],
                "recommendation": "建议给予李四同志批评教育。",
                "departure": "",
            },
        ],
        "closing": ["以上报告，请审议。"],
        "articles": [article("第八条第(三)项"), article("第十条"), article("第十四条第(二)项")],
    }


def intake_approval() -> dict[str, Any]:
    organ = default_organ()
    return {
        "organ": organ,
        "number": "",
        "date": "2025年10月20日",
        "case": {
            "reference": "ZX-2025-017",
            "title": "第三纪检监察室线索核查履职不到位问题",
            "source": "工作发现",
            "received_on": "2025年10月12日",
            "informant": "（不适用）",
            "registered_by": "周九",
            "summary": [
                "反映第三纪检监察室承办人员在某镇党委副书记李某某问题线索核查中，"
                "未经审批擅自将谈话笔录交由被反映人所在单位人员转交，导致信息外泄。",
            ],
        },
        "persons": [
            {"line": "张三，镇雄县纪委监委第三纪检监察室副主任（具体承办人）"},
            {"line": "李四，镇雄县纪委监委第三纪检监察室主任（部门负责人）"},
        ],
        "opinion": {
            "text": [
                "反映问题具体，属于第八条第（三）项所列情形，建议予以受理，由监督室组织调查核实。"
            ],
            "name": "周九",
            "date": "2025年10月14日",
        },
        "approvals": [
            {
                "label": "监督室负责人意见",
                "text": "同意受理。",
                "name": "吴十",
                "date": "2025年10月16日",
            },
            {"label": "分管领导意见", "text": "同意。", "name": "郑一", "date": "2025年10月20日"},
        ],
        "result": "2025年10月20日批准受理。",
    }


def delivery_receipt() -> dict[str, Any]:
    organ = default_organ()
    return {
        "organ": organ,
        "number": "",
        "date": "2026年3月6日",
        "receipt_no": "",
        "document": {"title": "责任追究决定书", "number": "镇纪监干〔2026〕3号"},
        "recipient": {"name": "张三", "capacity": "被追究责任者本人"},
        "place": "镇雄县纪委监委机关",
        "manner": "直接送达",
        "signed_text": "",
        "received_on_text": "年　　月　　日",
        "delivered_by": "周九、吴十",
        "note": "",
        "appeal_note": (
            "告知：受送达人如对决定不服，可以自接到决定之日起15日内，"
            "向中共镇雄县纪律检查委员会或者上级机关提出书面申诉。"
        ),
    }


def dossier_index() -> dict[str, Any]:
    organ = default_organ()
    return {
        "organ": organ,
        "number": "",
        "date": "2026年3月20日",
        "case": {"title": "第三纪检监察室线索核查履职不到位问题", "reference": "ZX-2025-017"},
        "person": {"name": "张三", "unit": "镇雄县纪委监委第三纪检监察室", "post": "副主任"},
        "archive_to": f"{organ['archive_department']}（干部个人档案）",
        "filed_with": organ["superior_office"],
        "items": [
            {
                "no": "1",
                "title": "线索受理审批表",
                "number": "",
                "date": "2025年10月20日",
                "pages": "1",
            },
            {"no": "2", "title": "调查报告", "number": "", "date": "2026年2月20日", "pages": "4"},
            {
                "no": "3",
                "title": "责任追究决定书",
                "number": "镇纪监干〔2026〕3号",
                "date": "2026年3月6日",
                "pages": "2",
            },
            {
                "no": "4",
                "title": "责任追究测算表（张三）",
                "number": "",
                "date": "2026年3月6日",
                "pages": "2",
            },
            {
                "no": "5",
                "title": "送达回证（本人）",
                "number": "",
                "date": "2026年3月9日",
                "pages": "1",
            },
            {
                "no": "6",
                "title": "送达回证（所在单位）",
                "number": "",
                "date": "2026年3月9日",
                "pages": "1",
            },
            {
                "no": "7",
                "title": "备案报告",
                "number": "镇纪监干〔2026〕4号",
                "date": "2026年3月10日",
                "pages": "1",
            },
        ],
        "handed_over_by": "周九",
    }


_SAMPLES = {
    DocumentKind.INTAKE_APPROVAL: intake_approval,
    DocumentKind.INVESTIGATION_REPORT: investigation_report,
    DocumentKind.DECISION: decision,
    DocumentKind.DELIVERY_RECEIPT: delivery_receipt,
    DocumentKind.FILING_REPORT: filing_report,
    DocumentKind.DOSSIER_INDEX: dossier_index,
    DocumentKind.APPEAL_REVIEW: appeal_review,
    DocumentKind.TRANSFER_LETTER: transfer_letter,
    DocumentKind.ASSESSMENT_SHEET: assessment_sheet,
}


def sample_context(kind: str) -> dict[str, Any]:
    """A fresh, complete context for `kind` (callers may change it freely)."""
    return copy.deepcopy(_SAMPLES[DocumentKind(kind)]())
