"""Demo publicity data, written through the services: two columns, three published stories
(each confirmed by its person, two with the growth path), a story waiting for the person's
confirmation, a collection of the machine works' stories, and media reports. All people
are the invented ones of the accounts demo."""

from __future__ import annotations

from datetime import timedelta

from lms.core.demo import DemoData, register_loader
from lms.publicity import services

STORIES = [
    # column, editor, person, team, title, summary, body, show growth
    (
        "models",
        "officer",
        "mentor",
        None,
        "焊花里的青春：高铁军的二十年",
        "从学徒工到首席技师，他把一道焊缝练成了“免检产品”。",
        "## 从学徒做起\n\n十八岁进厂时，高铁军连焊枪都握不稳。师傅告诉他：“焊缝是焊工的脸面。”"
        "他每天下班后多练两个小时，一年用掉的焊条比别人三年还多。\n\n"
        "## 攻坚克难\n\n大型压力容器的环缝焊接，是车间多年的难题。他带着徒弟反复试验，"
        "总结出“短弧慢摆”操作法，一次合格率从 86% 提高到 99.2%。\n\n"
        "## 传帮带\n\n如今他带出的徒弟中，已有 5 人成为技师。“把手艺传下去，比什么都重要。”",
        True,
    ),
    (
        "craftsmen",
        "officer_power",
        "mentor2",
        None,
        "守护万家灯火的“电医生”",
        "三十年带电作业零差错，他把检修规程背成了“口诀”。",
        "## 一张口诀卡\n\n陈建平把上百条检修规程编成了顺口的口诀，新员工一周就能记住。\n\n"
        "## 冰雪中的坚守\n\n那年冬天线路覆冰，他带队连续奋战 72 小时，保住了全城供电。",
        True,
    ),
    (
        "craftsmen",
        "officer",
        "mentor3",
        "总装车间赵玉兰班组",
        "毫厘之间见真章：赵玉兰班组",
        "一个钳工班组，五年提出合理化建议 60 多条。",
        "## 小建议，大效益\n\n班组五年提出合理化建议 60 多条，被采纳 41 条。\n\n"
        "## 人人是工匠\n\n“每个人都能成为工匠”，这是班组墙上的一句话，也是她们的日常。",
        False,
    ),
]


def load(data: DemoData) -> None:
    admin = data.people["admin"]
    today = services.local_today()
    columns = {
        "models": services.save_column(
            admin, name="劳模风采", description="身边的劳动模范，从一线岗位成长起来。", position=1
        ),
        "craftsmen": services.save_column(
            admin, name="工匠故事", description="精益求精的工匠和先进班组。", position=2
        ),
    }
    machine_stories = []
    for column, editor, person, team, title, summary, body, growth in STORIES:
        story = services.create_story(
            data.people[editor],
            column=columns[column],
            person=data.people[person],
            title=title,
            summary=summary,
            body=body,
            team_name=team,
        )
        services.give_consent(data.people[person], story, show_growth=growth)
        services.submit(data.people[editor], story)
        services.publish(admin, story, note="事迹真实感人，同意发布。")
        if editor == "officer":
            machine_stories.append(story.id)
    services.create_collection(
        data.people["officer"],
        title="《工匠》",
        subtitle="江城重型机械厂劳模工匠故事",
        story_ids=machine_stories,
    )
    waiting = services.create_story(
        data.people["officer"],
        column=columns["models"],
        person=data.people["worker"],
        title="青年焊工王小虎：跟着师傅学本领",
        summary="进厂两年，他已经能独立完成中厚板焊接。",
        body="## 拜师\n\n王小虎进厂第一天就拜高铁军为师。\n\n## 成长\n\n两年里，他考取了初级工证书。",
    )
    services.submit(data.people["officer"], waiting)
    services.record_report(
        data.people["officer"],
        outlet="江城日报",
        published_on=today - timedelta(days=20),
        title="焊花绽放二十年——记全国劳动模范高铁军",
        link="https://example.com/news/jiangcheng-daily/gao-tiejun",
        people=[data.people["mentor"]],
        organization=data.orgs["machine"],
    )
    services.record_report(
        data.people["officer_power"],
        outlet="江城电视台",
        published_on=today - timedelta(days=45),
        title="冰雪中的电力“守夜人”",
        link="https://example.com/tv/power-guardian",
        people=[data.people["mentor2"]],
        organization=data.orgs["power"],
    )


def register() -> None:
    register_loader(80, load)
