<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name />
    <message>
        <location filename="../../ui/messages.py" line="24" />
        <source>Server unavailable</source>
        <translation>服务器不可用</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="26" />
        <source>Sign-in failed</source>
        <translation>登录失败</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="28" />
        <source>Not allowed</source>
        <translation>无权操作</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="30" />
        <source>Sale refused</source>
        <translation>无法售票</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="32" />
        <source>Check the input</source>
        <translation>请检查输入</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="34" />
        <source>Box office</source>
        <translation>票务</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="35" />
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../ui/login_dialog.py" line="33" />
        <source>Box office — sign in</source>
        <translation>票务 — 登录</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="48" />
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="52" />
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="53" />
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="58" />
        <source>Demo mode — accounts {0}, password “{1}”</source>
        <translation>演示模式 — 账号 {0}，密码“{1}”</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="70" />
        <source>Enter your user name and password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
</context>
<context>
    <name>OrderDialog</name>
    <message>
        <location filename="../../ui/order_dialog.py" line="34" />
        <source>Look up an order</source>
        <translation>查找订单</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="41" />
        <source>order number, token or seat label</source>
        <translation>订单号、令牌或座位编号</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="46" />
        <source>Cancel and refund…</source>
        <translation>取消并退款…</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="49" />
        <source>Reprint tickets</source>
        <translation>重新打印门票</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="52" />
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="74" />
        <source>Order {0} ({1}) — {2}
seats {3}
total {4} ({5}), sold by {6}</source>
        <translation>订单 {0}（{1}）— {2}
座位 {3}
合计 {4}（{5}），售票员 {6}</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="87" />
        <source>Cancel order {0}</source>
        <translation>取消订单 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="88" />
        <source>Reason (kept in the audit log)</source>
        <translation>原因（记入审计日志）</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="104" />
        <source>Tickets: {0}</source>
        <translation>门票：{0}</translation>
    </message>
</context>
<context>
    <name>SaleWindow</name>
    <message>
        <location filename="../../ui/sale_window.py" line="47" />
        <source>{0} — {1} {2:%a %d %b %H:%M}</source>
        <translation>{0} — {1} {2:%m月%d日 %H:%M}</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="60" />
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="61" />
        <source>Card</source>
        <translation>刷卡</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="62" />
        <source>Hold  (H)</source>
        <translation>保留  (H)</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="66" />
        <source>Sell  (Enter)</source>
        <translation>出售  (回车)</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="75" />
        <source>any zone</source>
        <translation>任意区域</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="78" />
        <source>Best available  (B)</source>
        <translation>最佳座位  (B)</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="83" />
        <source>cash given (empty: exact)</source>
        <translation>所收现金（空：正好）</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="99" />
        <source>Selected seats</source>
        <translation>已选座位</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="128" />
        <source>Session</source>
        <translation>场次</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="129" />
        <source>Rebuild the seat map…</source>
        <translation>重建座位图…</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="153" />
        <source>Total {0}</source>
        <translation>合计 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="172" />
        <source>Held until {0}: {1}. Enter sells them.</source>
        <translation>保留至 {0}：{1}。按回车键出售。</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="190" />
        <source>Not an amount</source>
        <translation>不是金额</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="192" />
        <source>Change {0}</source>
        <translation>找零 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="193" />
        <source>{0} short</source>
        <translation>还差 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="214" />
        <source>No {0} adjacent free seats{1}.</source>
        <translation>没有 {0} 个相邻空座{1}。</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="216" />
        <source> in {0}</source>
        <translation>（{0}）</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="224" />
        <source>Rebuild the seat map</source>
        <translation>重建座位图</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="224" />
        <source>Reason (kept in the audit log)</source>
        <translation>原因（记入审计日志）</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="231" />
        <source>Seat map rebuilt from the database.</source>
        <translation>已从数据库重建座位图。</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="241" />
        <source>Find a seat</source>
        <translation>查找座位</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="241" />
        <source>Seat label (e.g. N3-A-12)</source>
        <translation>座位编号（例如 N3-A-12）</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="244" />
        <source>No seat {0} here.</source>
        <translation>没有座位 {0}。</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="258" />
        <source>The cash given does not cover {0}.</source>
        <translation>所收现金不足 {0}。</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="261" />
        <source>The cash given is not an amount.</source>
        <translation>所收现金不是有效金额。</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="270" />
        <source>Selling…</source>
        <translation>正在出售…</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="278" />
        <source>Order {0}: {1} — {2}</source>
        <translation>订单 {0}：{1} — {2}</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="287" />
        <source>Tickets: {0}</source>
        <translation>门票：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="293" />
        <source>Just taken: {0}. The rest is still selected — press Enter to sell it.</source>
        <translation>刚被售出：{0}。其余座位仍已选中 — 按回车键出售。</translation>
    </message>
</context>
<context>
    <name>SeatMap</name>
    <message>
        <location filename="../../ui/seat_map.py" line="422" />
        <source>held by {0} until {1}</source>
        <extracomment>the mouse rests on a held seat: the window looks up who holds it (off the GUI thread) and calls show_hold</extracomment>
        <translation>由 {0} 锁定，直到 {1}</translation>
    </message>
    <message>
        <location filename="../../ui/seat_map.py" line="431" />
        <source>{0} — {1}, section {2}, row {3}, seat {4}{5}
{6} {7} · {8}</source>
        <translation>{0} — {1}，{2} 区，{3} 排，{4} 号{5}
{6} {7} · {8}</translation>
    </message>
</context>
<context>
    <name>SessionsModel</name>
    <message>
        <location filename="../../ui/sessions_window.py" line="48" />
        <source>Starts</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="49" />
        <source>Venue</source>
        <translation>场馆</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="50" />
        <source>Session</source>
        <translation>场次</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="51" />
        <source>Capacity</source>
        <translation>座位数</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="52" />
        <source>Sold</source>
        <translation>已售</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="53" />
        <source>Free now</source>
        <translation>当前空座</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="54" />
        <source>Live holds</source>
        <translation>锁定中</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="55" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="88" />
        <source>on sale</source>
        <translation>在售</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="88" />
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="94" />
        <source>This session has no seat map in Redis yet; it is rebuilt on the first sale.</source>
        <translation>此场次在 Redis 中还没有座位图；首次售票时会重建。</translation>
    </message>
</context>
<context>
    <name>SessionsWindow</name>
    <message>
        <location filename="../../ui/sessions_window.py" line="112" />
        <source>Box office — sessions</source>
        <translation>票务 — 场次</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="130" />
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="157" />
        <source>Starting the database and Redis…</source>
        <translation>正在启动数据库和 Redis…</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="164" />
        <source>embedded servers</source>
        <translation>内置服务器</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="164" />
        <source>servers</source>
        <translation>服务器</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="165" />
        <source>PostgreSQL and Redis connected ({0})</source>
        <translation>PostgreSQL 和 Redis 已连接（{0}）</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="193" />
        <source>{0} ({1})</source>
        <translation>{0}（{1}）</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="200" />
        <source>Offline: {0}</source>
        <translation>离线：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="232" />
        <source>Outbox lag {0}</source>
        <translation>消息延迟 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="234" />
        <source>Till today {0}</source>
        <translation>今日收款 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="235" />
        <source>Updated {0}</source>
        <translation>更新于 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="239" />
        <source>Connection problem: {0}</source>
        <translation>连接问题：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="262" />
        <source>Empty database</source>
        <translation>数据库为空</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="263" />
        <source>There are no sessions yet. Load the demo venues (a 63,000-seat stadium and a sports hall), a week of sessions and demo accounts?</source>
        <translation>还没有场次。要加载演示场馆（一座 63,000 座的体育场和一座体育馆）、一周的场次和演示账号吗？</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="269" />
        <source>Loading the demo…</source>
        <translation>正在加载演示数据…</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="275" />
        <source>Demo loaded</source>
        <translation>演示数据已加载</translation>
    </message>
</context>
</TS>