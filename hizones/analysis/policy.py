"""The policy measures and evaluation indicators the briefing announces, as coded in
``data/measures.csv`` and ``data/evaluation_indicators.csv``."""
from __future__ import annotations

import pandas as pd

from .figures import read

#: The kinds of policy instrument in ``data/measures.csv``: (English, 中文).
INSTRUMENTS = {
    "r_and_d": ("research and technology programmes", "技术攻关"),
    "platform": ("platforms, bases, incubators", "平台载体"),
    "pilot": ("pilots and demonstrations", "试点示范"),
    "institution": ("organisations, systems, mechanisms", "机构与机制"),
    "funding": ("funding", "资金支持"),
    "infrastructure": ("infrastructure", "基础设施"),
    "project": ("major projects", "重大项目"),
    "scenario": ("application scenarios", "应用场景"),
    "cooperation": ("cooperation with partners", "合作"),
    "enterprise": ("cultivating firms", "企业培育"),
    "industry": ("cultivating industries and clusters", "产业培育"),
    "planning": ("plans", "规划方案"),
    "evaluation": ("statistics, monitoring, evaluation", "统计监测评价"),
    "open_call": ("open competition for tasks", "揭榜挂帅"),
    "event": ("roadshows and matchmaking", "路演对接"),
    "policy": ("targeted policy support", "政策支持"),
    "governance": ("administrative capacity", "治理能力"),
    "application": ("deploying a technology at scale", "规模应用"),
    "campaign": ("special campaigns", "专项行动"),
    "energy": ("energy use", "能源利用"),
    "ecology": ("carbon sinks and green space", "碳汇"),
}


def measures() -> pd.DataFrame:
    """The policy measures of ``data/measures.csv`` (validated first), indexed by id."""
    df = read("measures.csv", "id")
    for col in ("question", "ordinal", "item"):
        df[col] = df[col].astype(int)
    return df


def evaluation_indicators() -> pd.DataFrame:
    """The evaluation indicators of ``data/evaluation_indicators.csv`` (validated first)."""
    df = read("evaluation_indicators.csv", "id")
    df["question"] = df["question"].astype(int)
    return df
