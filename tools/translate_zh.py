"""Fill resources/translations/boxoffice_zh_CN.ts with the Simplified Chinese texts below, then compile the .qm.

Run after `pyside6-lupdate main.py ui/*.py -ts resources/translations/boxoffice_zh_CN.ts` has added new sources;
a source missing here stays unfinished (and shows in English) and the script names it.
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
