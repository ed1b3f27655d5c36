"""Fill resources/translations/boxoffice_zh_CN.ts with the Simplified Chinese texts below, then compile the .qm.

Run after `pyside6-lupdate main.py ui/*.py ui/supervisor/*.py -ts resources/translations/boxoffice_zh_CN.ts` has added
new sources; a source missing here stays unfinished (and shows in English) and the script names it.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "translations" / "boxoffice_zh_CN.ts"

ZH = {
    " in {0}": "（{0}）",
    "Best available  (B)": "最佳座位  (B)",
    "Box office": "票务",
    "Box office — sessions": "票务 — 场次",
    "Box office — sign in": "票务 — 登录",
    "Card": "刷卡",
    "Cash": "现金",
    "Change {0}": "找零 {0}",
    "Check the input": "请检查输入",
    "Connecting…": "正在连接…",
    "Connection problem: {0}": "连接问题：{0}",
    "Demo loaded": "演示数据已加载",
    "Demo mode — accounts {0}, password “{1}”": "演示模式 — 账号 {0}，密码“{1}”",
    "Empty database": "数据库为空",
    "Enter your user name and password.": "请输入用户名和密码。",
    "Find a seat": "查找座位",
    "Just taken: {0}. The rest is still selected — press Enter to sell it.": "刚被售出：{0}。其余座位仍已选中 — 按回车键出售。",
    "Loading the demo…": "正在加载演示数据…",
    "No seat {0} here.": "没有座位 {0}。",
    "No {0} adjacent free seats{1}.": "没有 {0} 个相邻空座{1}。",
    "Not allowed": "无权操作",
    "Not an amount": "不是金额",
    "Offline: {0}": "离线：{0}",
    "Order {0}: {1} — {2}": "订单 {0}：{1} — {2}",
    "Outbox lag {0}": "消息延迟 {0}",
    "Password": "密码",
    "PostgreSQL and Redis connected ({0})": "PostgreSQL 和 Redis 已连接（{0}）",
    "Sale refused": "无法售票",
    "Seat label (e.g. N3-A-12)": "座位编号（例如 N3-A-12）",
    "Selected seats": "已选座位",
    "Sell  (Enter)": "出售  (回车)",
    "Selling…": "正在出售…",
    "Server unavailable": "服务器不可用",
    "Sign in": "登录",
    "Sign-in failed": "登录失败",
    "Starting the database and Redis…": "正在启动数据库和 Redis…",
    "The cash given does not cover {0}.": "所收现金不足 {0}。",
    "The cash given is not an amount.": "所收现金不是有效金额。",
    "There are no sessions yet. Load the demo venues (a 63,000-seat stadium and a sports hall), a week of sessions "
    "and demo accounts?": "还没有场次。要加载演示场馆（一座 63,000 座的体育场和一座体育馆）、一周的场次和演示账号吗？",
    "This session has no seat map in Redis yet; it is rebuilt on the first sale.": "此场次在 Redis 中还没有座位图；首次售票时会重建。",
    "Tickets: {0}": "门票：{0}",
    "Till today {0}": "今日收款 {0}",
    "Total {0}": "合计 {0}",
    "Unexpected error": "意外错误",
    "Updated {0}": "更新于 {0}",
    "User": "用户",
    "any zone": "任意区域",
    "cash given (empty: exact)": "所收现金（空：正好）",
    "closed": "已关闭",
    "embedded servers": "内置服务器",
    "on sale": "在售",
    "servers": "服务器",
    "{0} ({1})": "{0}（{1}）",
    "{0} short": "还差 {0}",
    "{0} — {1} {2:%a %d %b %H:%M}": "{0} — {1} {2:%m月%d日 %H:%M}",
    "Starts": "开始时间",
    "Venue": "场馆",
    "Session": "场次",
    "Capacity": "座位数",
    "Sold": "已售",
    "Free now": "当前空座",
    "Live holds": "锁定中",
    "Status": "状态",
    "{0} — {1}, section {2}, row {3}, seat {4}{5}\n{6} {7} · {8}": "{0} — {1}，{2} 区，{3} 排，{4} 号{5}\n{6} {7} · {8}",
    "Look up an order": "查找订单",
    "order number, token or seat label": "订单号、令牌或座位编号",
    "Cancel and refund…": "取消并退款…",
    "Reprint tickets": "重新打印门票",
    "Order {0} ({1}) — {2}\nseats {3}\ntotal {4} ({5}), sold by {6}": "订单 {0}（{1}）— {2}\n座位 {3}\n合计 {4}（{5}），售票员 {6}",
    "Cancel order {0}": "取消订单 {0}",
    "Reason (kept in the audit log)": "原因（记入审计日志）",
    "Rebuild the seat map…": "重建座位图…",
    "Rebuild the seat map": "重建座位图",
    "Seat map rebuilt from the database.": "已从数据库重建座位图。",
    "held by {0} until {1}": "由 {0} 锁定，直到 {1}",
    "Print…": "打印…",
    "Hold  (H)": "保留  (H)",
    "Held until {0}: {1}. Enter sells them.": "保留至 {0}：{1}。按回车键出售。",
    # supervisor panels: outbox monitor, seat history, charts
    "Pending": "待发布",
    "In flight": "发布中",
    "Dead letters": "死信",
    "Oldest unpublished": "最早未发布",
    "Lag to the ledger": "台账延迟",
    "Consumer pending": "消费者未确认",
    "Age of the oldest message the relay has not published yet": "中继尚未发布的最早消息已等待的时间",
    "Age of the oldest message the inventory consumer has not applied yet": "库存消费者尚未处理的最早消息已等待的时间",
    "Messages delivered to the inventory consumer and not acknowledged yet": "已投递给库存消费者但尚未确认的消息",
    "Id": "编号",
    "Topic": "主题",
    "Order": "订单",
    "Attempts": "尝试次数",
    "Last error": "最近错误",
    "Created": "创建时间",
    "Retry selected…": "重试所选…",
    "Retry all…": "全部重试…",
    "Dead letters (newest first)": "死信（最新在前）",
    "Session {0}": "场次 {0}",
    "Retry dead letters": "重试死信",
    "Put {0} dead letter(s) back in the queue? The relay publishes them again at once; the retry is kept in the "
    "audit log.": "将 {0} 条死信放回队列？中继会立即重新发布；此次重试记入审计日志。",
    "Put every dead letter back in the queue? The relay publishes them again at once; the retry is kept in the "
    "audit log.": "将所有死信放回队列？中继会立即重新发布；此次重试记入审计日志。",
    "Requeueing…": "正在重新排队…",
    "{0} message(s) back in the queue.": "{0} 条消息已放回队列。",
    "held": "已锁定",
    "hold released": "锁定已释放",
    "sold": "已售出",
    "cancelled": "已取消",
    "exchanged in": "换入",
    "exchanged out": "换出",
    "repaired": "已修复",
    "seat map rebuilt": "座位图已重建",
    "freed": "已释放",
    "seat label, e.g. N3-A-12 — Enter shows its history": "座位编号，例如 N3-A-12 — 按回车键查看历史",
    "Show history": "查看历史",
    "Time": "时间",
    "Event": "事件",
    "By": "操作人",
    "Detail": "详情",
    "Seat": "座位",
    "Choose a session first.": "请先选择场次。",
    "Type a seat label.": "请输入座位编号。",
    "Loading the history of {0}…": "正在加载 {0} 的历史…",
    "Seat {0} — session {1}": "座位 {0} — 场次 {1}",
    "from the audit log": "来自审计日志",
    "from the live change stream (Redis)": "来自实时变更流（Redis）",
    "{0} event(s).": "共 {0} 条记录。",
    "Nothing has happened to this seat yet.": "此座位还没有任何记录。",
    "Choose a session.": "请选择场次。",
    "Loading the figures of session {0}…": "正在加载场次 {0} 的数据…",
    "Session {0}: {1} seats sold, revenue {2}.": "场次 {0}：已售 {1} 个座位，收入 {2}。",
    "Sales over time": "销售趋势",
    "Seats sold": "售出座位",
    "Revenue": "收入",
    "Local time (per {0})": "本地时间（每{0}）",
    "day": "天",
    "hour": "小时",
    "minute": "分钟",
    "Seats": "座位",
    "Sales over time — nothing sold yet": "销售趋势 — 尚无销售",
    "Occupancy per stand": "各看台上座情况",
    "Held or blocked": "锁定或封锁",
    "Free": "空座",
    "Revenue per price zone": "各票价区收入",
    "{0}: {1} seats · {2}": "{0}：{1} 个座位 · {2}",
}


def main() -> int:
    tree = ET.parse(TS)
    missing = []
    for message in tree.iter("message"):
        source = message.findtext("source")
        translation = message.find("translation")
        if source in ZH:
            translation.text = ZH[source]
            translation.attrib.pop("type", None)
        else:
            missing.append(source)
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    subprocess.run([str(Path(sys.executable).parent / "pyside6-lrelease"), str(TS)], check=True)
    for source in missing:
        print(f"untranslated: {source!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
