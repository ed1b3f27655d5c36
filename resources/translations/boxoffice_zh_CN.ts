<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CancelOrderDialog</name>
    <message>
        <location filename="../../ui/order_dialog.py" line="93"/>
        <source>Cancel order {0}</source>
        <translation>取消订单 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="121"/>
        <source>Reason (kept in the audit log)</source>
        <extracomment>what the order still has paid per method (None until the caller has read it: see :meth:`set_paid`) the order&apos;s seats, ticked: the ones to cancel (all at first; untick some for a partial cancel)</extracomment>
        <translation>原因（记入审计日志）</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="132"/>
        <source>Untick the seats the customer keeps (a partial refund):</source>
        <translation>取消勾选顾客保留的座位（部分退款）：</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="145"/>
        <source>This order was sold by {0} on {1}. A clerk cancels alone only their own orders of today: a supervisor must approve with their name and password.</source>
        <translation>此订单由 {0} 于 {1} 售出。售票员只能自行取消本人当天售出的订单：须由主管输入姓名和密码批准。</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="150"/>
        <source>Supervisor override</source>
        <translation>主管授权</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="153"/>
        <source>Supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="154"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="166"/>
        <source>Keep the order</source>
        <translation>保留订单</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="168"/>
        <location filename="../../ui/order_dialog.py" line="217"/>
        <source>Cancel order and refund</source>
        <translation>取消订单并退款</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="203"/>
        <source>working out how the money goes back…</source>
        <translation>正在计算退款方式…</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="215"/>
        <source>Cancel order {0} and refund {1}?
{2}.
Seats: {3}</source>
        <translation>取消订单 {0} 并退款 {1}？
{2}。
座位：{3}</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="221"/>
        <source>Cancel {0} of the {1} seats of order {2} and refund {3}?
{4}.
Seats cancelled: {5}
Seats kept: {6}</source>
        <translation>取消订单 {2} 的 {1} 个座位中的 {0} 个并退款 {3}？
{4}。
取消的座位：{5}
保留的座位：{6}</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="224"/>
        <source>Cancel these seats and refund</source>
        <translation>取消这些座位并退款</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="231"/>
        <source>Tick at least one seat to cancel.</source>
        <translation>请至少勾选一个要取消的座位。</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="234"/>
        <source>Give a reason: it is kept in the audit log.</source>
        <translation>请填写原因：它会记入审计日志。</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="238"/>
        <source>A supervisor must type their name and password.</source>
        <translation>须由主管输入姓名和密码。</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="242"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="255"/>
        <source>Not cancelled: {0}</source>
        <translation>未取消：{0}</translation>
    </message>
</context>
<context>
    <name>ChartsPanel</name>
    <message>
        <location filename="../../ui/supervisor/charts_panel.py" line="120"/>
        <source>Choose a session.</source>
        <extracomment>the price types&apos; bars, in the types&apos; order (a colour blind reader tells them apart by the category labels) the occupancy chart&apos;s category labels (&quot;Main: 15.0 %&quot;, the share sold) and its value axis (0–100 %) each chart&apos;s category labels in full (the axis may show them cut with &quot;…&quot;; the view&apos;s tooltip has them)</extracomment>
        <translation>请选择场次。</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/charts_panel.py" line="148"/>
        <source>Loading the figures of session {0}…</source>
        <translation>正在加载场次 {0} 的数据…</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/charts_panel.py" line="168"/>
        <source>Session {0}: {1} seats sold, revenue {2}; {3} % of the seats sold.</source>
        <translation>场次 {0}：已售 {1} 个座位，收入 {2}；已售出 {3} % 的座位。</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/charts_panel.py" line="224"/>
        <source>Sales over time</source>
        <translation>销售趋势</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/charts_panel.py" line="226"/>
        <source>Seats sold</source>
        <translation>售出座位</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/charts_panel.py" line="227"/>
        <location filename="../../ui/supervisor/charts_panel.py" line="251"/>
        <location filename="../../ui/supervisor/charts_panel.py" line="319"/>
        <source>Revenue</source>
        <translation>收入</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/charts_panel.py" line="241"/>
        <source>Local time (per {0})</source>
        <translation>本地时间（每{0}）</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/charts_panel.py" line="242"/>
        <source>day</source>
        <translation>天</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/charts_panel.py" line="243"/>
        <source>hour</source>
        <translation>小时</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/charts_panel.py" line="243"/>
        <source>minute</source>
        <translation>分钟</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/charts_panel.py" line="250"/>
        <location filename="../../ui/supervisor/charts_panel.py" line="348"/>
        <source>Seats</source>
        <translation>座位</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/charts_panel.py" line="259"/>
        <source>Sales over time — nothing sold yet</source>
        <translation>销售趋势 — 尚无销售</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/charts_panel.py" line="266"/>
        <source>Occupancy per stand (%)</source>
        <translation>各看台上座率（%）</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/charts_panel.py" line="293"/>
        <source>% of the seats</source>
        <translation>占座位的 %</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/charts_panel.py" line="318"/>
        <source>{0} seats · {1}</source>
        <translation>{0} 个座位 · {1}</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/charts_panel.py" line="331"/>
        <source>Seats sold per price type</source>
        <translation>各票价类型已售座位</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/charts_panel.py" line="347"/>
        <source>{0} · {1} %</source>
        <translation>{0} · {1} %</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/charts_panel.py" line="355"/>
        <source>Seats sold per price type — nothing sold yet</source>
        <translation>各票价类型已售座位 — 尚无销售</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/charts_panel.py" line="269"/>
        <source>Sold</source>
        <translation>已售</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/charts_panel.py" line="270"/>
        <source>Held or blocked</source>
        <translation>预留或封锁</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/charts_panel.py" line="271"/>
        <source>Free</source>
        <translation>空座</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/charts_panel.py" line="285"/>
        <source>{0}: {1} %</source>
        <translation>{0}：{1} %</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/charts_panel.py" line="304"/>
        <source>Revenue per price zone</source>
        <translation>各票价区收入</translation>
    </message>
</context>
<context>
    <name>CloseTillDialog</name>
    <message>
        <location filename="../../ui/till_dialogs.py" line="183"/>
        <source>Close till — blind count</source>
        <translation>关闭收银机 — 盲点交班</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="205"/>
        <source>Count the cash in the drawer. The expected amount is shown only after the count is recorded.</source>
        <translation>请清点钱箱中的现金。记录点数后才会显示应有金额。</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="209"/>
        <source>By denomination</source>
        <translation>按面额</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="210"/>
        <source>A total</source>
        <translation>总额</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="230"/>
        <source>counted total</source>
        <translation>点数总额</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="236"/>
        <source>Next: confirm the count</source>
        <translation>下一步：确认点数</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="254"/>
        <source>Counted: {0}</source>
        <translation>点数：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="255"/>
        <source>Type the counted total</source>
        <translation>请输入点数总额</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="260"/>
        <source>Type the counted total as an amount, e.g. 245.50</source>
        <translation>请按金额格式输入点数总额，例如 245.50</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="263"/>
        <source>You counted {0}. Once recorded, the count cannot be changed; the expected amount is shown next.</source>
        <translation>您点数为 {0}。记录后不能再更改；接下来将显示应有金额。</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="274"/>
        <source>Back: count again</source>
        <translation>返回：重新清点</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="276"/>
        <source>Record the count</source>
        <translation>记录点数</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="300"/>
        <source>You have no open till.</source>
        <translation>您没有已开启的收银机。</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="312"/>
        <source>Method</source>
        <translation>支付方式</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="312"/>
        <source>Payments</source>
        <translation>收款</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="312"/>
        <source>Refunds</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="313"/>
        <source>Net</source>
        <translation>净额</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="327"/>
        <source>why the drawer does not balance</source>
        <translation>钱箱不平的原因</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="328"/>
        <source>Note (needed for a variance)</source>
        <translation>备注（有差额时必填）</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="329"/>
        <source>Supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="330"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="332"/>
        <source>Sign off and close the till</source>
        <translation>签核并关闭收银机</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="342"/>
        <source>Expected: {0}
Counted: {1}
Variance: {2}</source>
        <translation>应有：{0}
点数：{1}
差额：{2}</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="351"/>
        <source>order {0}: {1}</source>
        <translation>订单 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="353"/>
        <source>Could explain the variance: {0}</source>
        <translation>可能造成差额的原因：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="363"/>
        <source>A supervisor signs the close off: their name and password</source>
        <translation>由主管签核交班：输入其姓名和密码</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="366"/>
        <source>The drawer is {0}: write in the note why before signing off</source>
        <translation>钱箱{0}：签核前请在备注中写明原因</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="388"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="396"/>
        <source>Till {0} closed, signed off by {1}. Variance {2}.</source>
        <translation>收银机 {0} 已关闭，由 {1} 签核。差额 {2}。</translation>
    </message>
</context>
<context>
    <name>DayReportDialog</name>
    <message>
        <location filename="../../ui/supervisor/day_report.py" line="61"/>
        <location filename="../../ui/supervisor/day_report.py" line="156"/>
        <source>Day report</source>
        <translation>日报表</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/day_report.py" line="79"/>
        <source>CSV (one file, opens in a spreadsheet)</source>
        <translation>CSV（单个文件，可用电子表格打开）</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/day_report.py" line="83"/>
        <source>PDF (A4, a table per section)</source>
        <translation>PDF（A4，每部分一张表）</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/day_report.py" line="94"/>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/day_report.py" line="95"/>
        <source>Time zone</source>
        <translation>时区</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/day_report.py" line="98"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/day_report.py" line="110"/>
        <source>Build and save</source>
        <translation>生成并保存</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/day_report.py" line="115"/>
        <source>The orders and payments made on the day (local midnight to midnight in the time zone), per session, clerk, payment method and price type.</source>
        <translation>当天（按所选时区从零点到次日零点）的订单和收款，按场次、售票员、支付方式和票价类型分列。</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/day_report.py" line="138"/>
        <source>Save the day report as</source>
        <translation>日报表另存为</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/day_report.py" line="149"/>
        <source>Choose a CSV or a PDF file to save.</source>
        <translation>请选择要保存的 CSV 或 PDF 文件。</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/day_report.py" line="154"/>
        <source>Reading the orders and payments of {0}…</source>
        <translation>正在读取 {0} 的订单和收款…</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/day_report.py" line="172"/>
        <source>Writing the files…</source>
        <translation>正在写入文件…</translation>
    </message>
</context>
<context>
    <name>DayReportPdf</name>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="73"/>
        <source>Time zone</source>
        <extracomment>lupdate reads translate(&quot;DayReportPdf&quot;, &quot;...&quot;) with a literal context (a bare tr() it cannot place) the labels used inside f-strings (lupdate reads no call inside an f-string): marked here, translated per call by :func:`_labels`</extracomment>
        <translation>时区</translation>
    </message>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="74"/>
        <source>Amounts in</source>
        <translation>金额单位</translation>
    </message>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="75"/>
        <source>Made</source>
        <translation>生成于</translation>
    </message>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="76"/>
        <source>Day report</source>
        <translation>日报表</translation>
    </message>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="77"/>
        <source>No orders or payments that day.</source>
        <translation>当天没有订单或收款。</translation>
    </message>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="78"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="79"/>
        <source>Per session</source>
        <translation>按场次</translation>
    </message>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="80"/>
        <source>Session</source>
        <translation>场次</translation>
    </message>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="81"/>
        <source>Event</source>
        <translation>活动</translation>
    </message>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="82"/>
        <source>Starts</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="83"/>
        <source>Sold</source>
        <translation>已售</translation>
    </message>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="84"/>
        <source>Comps</source>
        <translation>赠票</translation>
    </message>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="85"/>
        <source>Refunds</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="86"/>
        <source>Refunded</source>
        <translation>已退金额</translation>
    </message>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="87"/>
        <source>Held now</source>
        <translation>当前预留</translation>
    </message>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="88"/>
        <source>Free now</source>
        <translation>当前空座</translation>
    </message>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="89"/>
        <source>Occupancy</source>
        <translation>上座率</translation>
    </message>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="90"/>
        <source>Payments</source>
        <translation>收款</translation>
    </message>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="91"/>
        <source>Gross</source>
        <translation>总收入</translation>
    </message>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="92"/>
        <source>Per clerk</source>
        <translation>按售票员</translation>
    </message>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="93"/>
        <source>Clerk</source>
        <translation>售票员</translation>
    </message>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="94"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="95"/>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="96"/>
        <source>Seats</source>
        <translation>座位</translation>
    </message>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="97"/>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="98"/>
        <source>Card</source>
        <translation>银行卡</translation>
    </message>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="99"/>
        <source>Voucher</source>
        <translation>代金券</translation>
    </message>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="100"/>
        <source>Per payment method</source>
        <translation>按支付方式</translation>
    </message>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="101"/>
        <source>Method</source>
        <translation>支付方式</translation>
    </message>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="102"/>
        <source>Net</source>
        <translation>净额</translation>
    </message>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="103"/>
        <source>Per price type</source>
        <translation>按票价类型</translation>
    </message>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="104"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="105"/>
        <source>Face value</source>
        <translation>票面金额</translation>
    </message>
    <message>
        <location filename="../../ui/day_report_pdf.py" line="172"/>
        <source>Day report {0}</source>
        <translation>日报表 {0}</translation>
    </message>
</context>
<context>
    <name>DegradedBanner</name>
    <message>
        <location filename="../../ui/server_status.py" line="34"/>
        <source>Seat map not live — selling from the database</source>
        <extracomment>a &quot;restarted&quot; notice stays this long; &quot;stopped — restarting…&quot; and &quot;could not restart&quot; stay until resolved</extracomment>
        <translation>座位图未实时更新 — 正在从数据库售票</translation>
    </message>
</context>
<context>
    <name>DriftMap</name>
    <message>
        <location filename="../../ui/supervisor/drift_map.py" line="54"/>
        <source>Loading the layout…</source>
        <extracomment>the loading steps shown by the progress bar the map of the session it was asked to show is drawn (its id) the session whose map is shown or coming (None: none chosen) what the map says while it loads (&quot;&quot; once the seats are drawn)</extracomment>
        <translation>正在加载布局…</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/drift_map.py" line="77"/>
        <source>Reading the seats…</source>
        <translation>正在读取座位…</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/drift_map.py" line="84"/>
        <source>Drawing the seats…</source>
        <translation>正在绘制座位…</translation>
    </message>
</context>
<context>
    <name>ExchangeDialog</name>
    <message>
        <location filename="../../ui/exchange_dialog.py" line="55"/>
        <source>Exchange seats of order {0}</source>
        <translation>换座：订单 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/exchange_dialog.py" line="74"/>
        <source>Order {0} — {1}, sold by {2}. Tick the seats that move, then pick as many new seats on the map.</source>
        <extracomment>what the order still has paid per method (read off the GUI thread): how a refund goes back the session&apos;s price list: a new seat costs its zone&apos;s price for the type of the seat it replaces</extracomment>
        <translation>订单 {0} — {1}，售票员 {2}。勾选要更换的座位，然后在座位图上选择同样数量的新座位。</translation>
    </message>
    <message>
        <location filename="../../ui/exchange_dialog.py" line="97"/>
        <source>Reason (kept in the audit log)</source>
        <translation>原因（记入审计日志）</translation>
    </message>
    <message>
        <location filename="../../ui/exchange_dialog.py" line="103"/>
        <source>Supervisor override</source>
        <translation>主管授权</translation>
    </message>
    <message>
        <location filename="../../ui/exchange_dialog.py" line="107"/>
        <source>This exchange refunds money on an order sold by {0} on {1}. A clerk refunds alone only their own orders of today: a supervisor must approve with their name and password.</source>
        <translation>此次换座将退还订单款项，该订单由 {0} 于 {1} 售出。售票员只能独自为自己当天售出的订单退款：需由主管输入姓名和密码批准。</translation>
    </message>
    <message>
        <location filename="../../ui/exchange_dialog.py" line="113"/>
        <source>Supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <location filename="../../ui/exchange_dialog.py" line="114"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../ui/exchange_dialog.py" line="121"/>
        <source>Keep the seats</source>
        <translation>保留原座位</translation>
    </message>
    <message>
        <location filename="../../ui/exchange_dialog.py" line="123"/>
        <source>Exchange</source>
        <translation>换座</translation>
    </message>
    <message>
        <location filename="../../ui/exchange_dialog.py" line="136"/>
        <source>Seats that move</source>
        <translation>要更换的座位</translation>
    </message>
    <message>
        <location filename="../../ui/exchange_dialog.py" line="138"/>
        <source>New seats (picked on the map)</source>
        <translation>新座位（在座位图上选择）</translation>
    </message>
    <message>
        <location filename="../../ui/exchange_dialog.py" line="217"/>
        <source>{0} of {1} new seats picked.</source>
        <translation>已选择 {0}/{1} 个新座位。</translation>
    </message>
    <message>
        <location filename="../../ui/exchange_dialog.py" line="223"/>
        <source>The customer pays {0} more ({1}).</source>
        <translation>顾客需补差价 {0}（{1}）。</translation>
    </message>
    <message>
        <location filename="../../ui/exchange_dialog.py" line="227"/>
        <source>Refund to the customer: {0}: {1}.</source>
        <translation>退给顾客：{0}：{1}。</translation>
    </message>
    <message>
        <location filename="../../ui/exchange_dialog.py" line="229"/>
        <source>Same price: nothing to pay or refund.</source>
        <translation>价格相同：无需补款或退款。</translation>
    </message>
    <message>
        <location filename="../../ui/exchange_dialog.py" line="238"/>
        <source>Pick exactly {0} new seats on the map.</source>
        <translation>请在座位图上正好选择 {0} 个新座位。</translation>
    </message>
    <message>
        <location filename="../../ui/exchange_dialog.py" line="241"/>
        <source>Give a reason: it is kept in the audit log.</source>
        <translation>请填写原因：它将记入审计日志。</translation>
    </message>
    <message>
        <location filename="../../ui/exchange_dialog.py" line="247"/>
        <source>A supervisor must type their name and password.</source>
        <translation>主管必须输入姓名和密码。</translation>
    </message>
    <message>
        <location filename="../../ui/exchange_dialog.py" line="256"/>
        <source>Exchanging…</source>
        <translation>正在换座…</translation>
    </message>
    <message>
        <location filename="../../ui/exchange_dialog.py" line="273"/>
        <source>Just taken: {0}. Pick other seats.</source>
        <translation>刚被占用：{0}。请选择其他座位。</translation>
    </message>
    <message>
        <location filename="../../ui/exchange_dialog.py" line="275"/>
        <source>Not exchanged: {0}</source>
        <translation>未能换座：{0}</translation>
    </message>
</context>
<context>
    <name>HoldsPanel</name>
    <message>
        <location filename="../../ui/holds_panel.py" line="73"/>
        <location filename="../../ui/holds_panel.py" line="195"/>
        <source>My holds</source>
        <extracomment>under this many seconds left, a hold&apos;s countdown turns red Resume pressed (or a hold double-clicked): the window makes this hold the sale in progress Release pressed: the window gives this hold back Extend pressed: the window asks the desk for more time the list was read again (the window and the map may show the own holds)</extracomment>
        <translation>我的预留</translation>
    </message>
    <message>
        <location filename="../../ui/holds_panel.py" line="85"/>
        <source>No holds of yours in this session.</source>
        <translation>本场次中您没有预留。</translation>
    </message>
    <message>
        <location filename="../../ui/holds_panel.py" line="88"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../ui/holds_panel.py" line="90"/>
        <source>Make this hold the sale in progress: Enter then sells its seats</source>
        <translation>将此预留作为当前销售：按 Enter 即售出其座位</translation>
    </message>
    <message>
        <location filename="../../ui/holds_panel.py" line="92"/>
        <source>Extend</source>
        <translation>延长</translation>
    </message>
    <message>
        <location filename="../../ui/holds_panel.py" line="94"/>
        <location filename="../../ui/holds_panel.py" line="231"/>
        <source>Give the customer more time: the hold lasts a full hold time from now</source>
        <translation>给顾客更多时间：预留从现在起再保持一个完整的预留时长</translation>
    </message>
    <message>
        <location filename="../../ui/holds_panel.py" line="96"/>
        <source>Release</source>
        <translation>释放</translation>
    </message>
    <message>
        <location filename="../../ui/holds_panel.py" line="98"/>
        <source>Give the seats back: other windows can sell them at once</source>
        <translation>归还座位：其他窗口可立即出售</translation>
    </message>
    <message>
        <location filename="../../ui/holds_panel.py" line="147"/>
        <source>Holds not known now: {0}</source>
        <translation>暂时无法获知预留：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/holds_panel.py" line="195"/>
        <source>My holds ({0})</source>
        <translation>我的预留（{0}）</translation>
    </message>
    <message>
        <location filename="../../ui/holds_panel.py" line="212"/>
        <source>{0} — {1} left</source>
        <translation>{0} — 剩余 {1}</translation>
    </message>
    <message>
        <location filename="../../ui/holds_panel.py" line="213"/>
        <source>Held until {0}</source>
        <translation>预留至 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/holds_panel.py" line="215"/>
        <source>{0} — expired</source>
        <translation>{0} — 已过期</translation>
    </message>
    <message>
        <location filename="../../ui/holds_panel.py" line="216"/>
        <source>Expired at {0}: the seats are being given back</source>
        <translation>已于 {0} 过期：座位正在归还</translation>
    </message>
    <message>
        <location filename="../../ui/holds_panel.py" line="228"/>
        <source>Extended {0} times already: sell the seats or give them back</source>
        <translation>已延长 {0} 次：请售出座位或释放预留</translation>
    </message>
</context>
<context>
    <name>LiveFeed</name>
    <message>
        <location filename="../../ui/live_feed.py" line="130"/>
        <source>the live map&apos;s read failed unexpectedly (see the log)</source>
        <extracomment>feeds whose thread has not finished yet (stopped or not): kept referenced until it has the longest a read waits for the first change (and so the longest the loop takes to see a stop request while Redis answers) after a failed read, the next one starts this much later reads started and failed so far (tests and diagnostics read them)</extracomment>
        <translation>实时座位图读取意外失败（详见日志）</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../ui/login_dialog.py" line="35"/>
        <source>Box office — sign in</source>
        <translation>票务 — 登录</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="50"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="54"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="55"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="59"/>
        <source>{0} signed out. Sign in to go on selling.</source>
        <translation>{0} 已退出登录。请登录以继续售票。</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="66"/>
        <source>Demo mode — accounts {0}, password “{1}”</source>
        <translation>演示模式 — 账号 {0}，密码“{1}”</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="78"/>
        <source>Enter your user name and password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
</context>
<context>
    <name>MapLegend</name>
    <message>
        <location filename="../../ui/seat_map.py" line="981"/>
        <source>selected</source>
        <extracomment>(swatch key, text) of every entry, in order (tests)</extracomment>
        <translation>已选</translation>
    </message>
    <message>
        <location filename="../../ui/seat_map.py" line="982"/>
        <source>held by another clerk</source>
        <translation>其他售票员预留</translation>
    </message>
    <message>
        <location filename="../../ui/seat_map.py" line="983"/>
        <source>held by you</source>
        <translation>您的预留</translation>
    </message>
    <message>
        <location filename="../../ui/seat_map.py" line="984"/>
        <source>sold</source>
        <translation>已售出</translation>
    </message>
    <message>
        <location filename="../../ui/seat_map.py" line="985"/>
        <source>blocked</source>
        <translation>不可售</translation>
    </message>
    <message>
        <location filename="../../ui/seat_map.py" line="989"/>
        <source>wheelchair place</source>
        <translation>轮椅席位</translation>
    </message>
</context>
<context>
    <name>MapNotLiveBanner</name>
    <message>
        <location filename="../../ui/server_status.py" line="46"/>
        <source>Map not live — reconnecting…</source>
        <translation>座位图未实时更新 — 正在重新连接…</translation>
    </message>
</context>
<context>
    <name>MiniMap</name>
    <message>
        <location filename="../../ui/minimap.py" line="33"/>
        <source>Overview: click or drag to move the map</source>
        <translation>全景：点击或拖动以移动座位图</translation>
    </message>
</context>
<context>
    <name>MovementDialog</name>
    <message>
        <location filename="../../ui/till_dialogs.py" line="129"/>
        <source>Cash drop</source>
        <translation>现金解款</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="129"/>
        <source>Payout</source>
        <translation>支出</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="133"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="134"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="134"/>
        <source>Reason (optional)</source>
        <translation>原因（可选）</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="144"/>
        <source>Type an amount more than 0</source>
        <translation>请输入大于 0 的金额</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="148"/>
        <source>A payout needs a reason</source>
        <translation>支出需要填写原因</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="160"/>
        <source>Take {0} out of the drawer to the safe?</source>
        <translation>从钱箱取出 {0} 存入保险柜？</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="161"/>
        <source>Pay {0} out of the drawer?</source>
        <translation>从钱箱支出 {0}？</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="163"/>
        <source>Reason: {0}</source>
        <translation>原因：{0}</translation>
    </message>
</context>
<context>
    <name>OpenTillDialog</name>
    <message>
        <location filename="../../ui/till_dialogs.py" line="90"/>
        <location filename="../../ui/till_dialogs.py" line="101"/>
        <source>Open till</source>
        <extracomment>the notes and coins of the count grid (euro and most decimal currencies)</extracomment>
        <translation>开启收银机</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="96"/>
        <source>Workstation</source>
        <translation>工作站</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="98"/>
        <source>Opening float</source>
        <translation>备用金</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="109"/>
        <source>Type the float as an amount, e.g. 150.00</source>
        <translation>请按金额格式输入备用金，例如 150.00</translation>
    </message>
</context>
<context>
    <name>OrderDialog</name>
    <message>
        <location filename="../../ui/order_dialog.py" line="277"/>
        <source>Look up an order</source>
        <translation>查找订单</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="292"/>
        <source>order number, token, seat label, customer name or phone</source>
        <translation>订单号、令牌、座位号、顾客姓名或电话</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="320"/>
        <source>Cancel / refund…</source>
        <translation>取消 / 退款…</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="322"/>
        <source>Cancel the whole order or some of its seats, with a refund</source>
        <translation>取消整个订单或其中部分座位，并退款</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="324"/>
        <source>Exchange seats…</source>
        <translation>换座…</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="326"/>
        <source>Move seats of this order to others picked on the map</source>
        <translation>将此订单的座位换到在座位图上选择的其他座位</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="328"/>
        <location filename="../../ui/order_dialog.py" line="583"/>
        <source>Reprint tickets</source>
        <translation>重新打印门票</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="331"/>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="366"/>
        <source>⚠ This order is for {0}, not this window&apos;s match: exchange it at that match&apos;s window.</source>
        <translation>⚠ 此订单属于 {0}，不是本窗口的场次：请在该场次的窗口换座。</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="369"/>
        <source>Order {0} ({1}) — {2}
seats {3}
total {4} ({5}), sold by {6}</source>
        <translation>订单 {0}（{1}）— {2}
座位 {3}
合计 {4}（{5}），售票员 {6}</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="374"/>
        <source>customer {0}</source>
        <translation>顾客 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="392"/>
        <source>Looking up {0}…</source>
        <translation>正在查找 {0}…</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="408"/>
        <source>{0} orders match: pick one.</source>
        <translation>{0} 个订单匹配：请选择一个。</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="435"/>
        <source>no customer noted</source>
        <translation>未登记顾客</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="437"/>
        <source>⚠ Another match — {0}</source>
        <translation>⚠ 其他场次 — {0}</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="507"/>
        <location filename="../../ui/order_dialog.py" line="511"/>
        <location filename="../../ui/order_dialog.py" line="561"/>
        <source>Refunded {0}: {1}.</source>
        <translation>已退款 {0}：{1}。</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="584"/>
        <source>Reprint the {0} ticket(s) of order {1}?
The tickets the customer already has will stop working at the gate.</source>
        <translation>补打订单 {1} 的 {0} 张票？
顾客手中已有的票将在入口失效。</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="588"/>
        <source>Reprint</source>
        <translation>补打</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="589"/>
        <source>Do not reprint</source>
        <translation>不补打</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="646"/>
        <source>Reprint {0}: {1}</source>
        <translation>补打 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="378"/>
        <location filename="../../ui/order_dialog.py" line="510"/>
        <source>Refunded {0} ({1}).</source>
        <translation>已退款 {0}（{1}）。</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="62"/>
        <source>session {0}</source>
        <translation>场次 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="67"/>
        <source>Match: {0}</source>
        <translation>场次：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="72"/>
        <source>⚠ This order is for {0}, not this window&apos;s match.</source>
        <translation>⚠ 此订单属于 {0}，不是本窗口的场次。</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="433"/>
        <source>Order {0} ({1}) — {2} — {3} — {4}</source>
        <translation>订单 {0}（{1}）— {2} — {3} — {4}</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="519"/>
        <source>Not cancelled: {0}</source>
        <translation>未取消：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="553"/>
        <source>Exchanged: {0} → {1}.</source>
        <translation>已换座：{0} → {1}。</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="557"/>
        <source>To pay: {0}.</source>
        <translation>应付：{0}。</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="629"/>
        <source>not printed ({0}): use Print…</source>
        <translation>未打印（{0}）：请使用“打印…”</translation>
    </message>
    <message>
        <location filename="../../ui/order_dialog.py" line="639"/>
        <source>Tickets: {0}</source>
        <translation>门票：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/refunds.py" line="15"/>
        <source>Give {0} in cash</source>
        <translation>现金退还 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/refunds.py" line="16"/>
        <source>{0} back to the card</source>
        <translation>{0} 退回银行卡</translation>
    </message>
    <message>
        <location filename="../../ui/refunds.py" line="17"/>
        <source>{0} back as a voucher</source>
        <translation>{0} 以代金券退还</translation>
    </message>
</context>
<context>
    <name>OutboxPanel</name>
    <message>
        <location filename="../../ui/supervisor/outbox_panel.py" line="42"/>
        <source>{0} s</source>
        <translation>{0} 秒</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/outbox_panel.py" line="44"/>
        <source>{0} min</source>
        <translation>{0} 分钟</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/outbox_panel.py" line="45"/>
        <source>{0} h</source>
        <translation>{0} 小时</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/outbox_panel.py" line="98"/>
        <source>Pending</source>
        <translation>待发布</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/outbox_panel.py" line="99"/>
        <source>In flight</source>
        <translation>发布中</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/outbox_panel.py" line="100"/>
        <source>Dead letters</source>
        <translation>死信</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/outbox_panel.py" line="101"/>
        <source>Oldest unpublished</source>
        <translation>最早未发布</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/outbox_panel.py" line="102"/>
        <source>Lag to the ledger</source>
        <translation>台账延迟</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/outbox_panel.py" line="103"/>
        <source>Consumer pending</source>
        <translation>消费者未确认</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/outbox_panel.py" line="104"/>
        <source>Age of the oldest message the relay has not published yet</source>
        <translation>中继尚未发布的最早消息已等待的时间</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/outbox_panel.py" line="105"/>
        <source>Age of the oldest message the inventory consumer has not applied yet</source>
        <translation>库存消费者尚未处理的最早消息已等待的时间</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/outbox_panel.py" line="106"/>
        <source>Messages delivered to the inventory consumer and not acknowledged yet</source>
        <translation>已投递给库存消费者但尚未确认的消息</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/outbox_panel.py" line="112"/>
        <source>Id</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/outbox_panel.py" line="112"/>
        <source>Topic</source>
        <translation>主题</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/outbox_panel.py" line="112"/>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/outbox_panel.py" line="112"/>
        <source>Attempts</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/outbox_panel.py" line="112"/>
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/outbox_panel.py" line="113"/>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/outbox_panel.py" line="117"/>
        <source>Retry selected…</source>
        <translation>重试所选…</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/outbox_panel.py" line="120"/>
        <source>Retry all…</source>
        <translation>全部重试…</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/outbox_panel.py" line="140"/>
        <source>Dead letters (newest first)</source>
        <translation>死信（最新在前）</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/outbox_panel.py" line="185"/>
        <source>Updated {0}</source>
        <translation>更新于 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/outbox_panel.py" line="203"/>
        <source>Session {0}</source>
        <translation>场次 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/outbox_panel.py" line="227"/>
        <location filename="../../ui/supervisor/outbox_panel.py" line="238"/>
        <source>Retry dead letters</source>
        <translation>重试死信</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/outbox_panel.py" line="228"/>
        <source>Put {0} dead letter(s) back in the queue? The relay publishes them again at once; the retry is kept in the audit log.</source>
        <translation>将 {0} 条死信放回队列？中继会立即重新发布；此次重试记入审计日志。</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/outbox_panel.py" line="239"/>
        <source>Put every dead letter back in the queue? The relay publishes them again at once; the retry is kept in the audit log.</source>
        <translation>将所有死信放回队列？中继会立即重新发布；此次重试记入审计日志。</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/outbox_panel.py" line="249"/>
        <source>Requeueing…</source>
        <translation>正在重新排队…</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/outbox_panel.py" line="257"/>
        <source>{0} message(s) back in the queue.</source>
        <translation>{0} 条消息已放回队列。</translation>
    </message>
</context>
<context>
    <name>PrinterSettingsDialog</name>
    <message>
        <location filename="../../ui/printer_settings.py" line="68"/>
        <source>Printer settings</source>
        <extracomment>the QSettings key of the workstation&apos;s printer (absent: BOXOFFICE_PRINTER)</extracomment>
        <translation>打印机设置</translation>
    </message>
    <message>
        <location filename="../../ui/printer_settings.py" line="74"/>
        <source>Ticket PDF (saved in the tickets folder)</source>
        <translation>门票 PDF（保存在门票文件夹中）</translation>
    </message>
    <message>
        <location filename="../../ui/printer_settings.py" line="75"/>
        <source>A printer of this computer</source>
        <translation>本机的打印机</translation>
    </message>
    <message>
        <location filename="../../ui/printer_settings.py" line="76"/>
        <source>ESC/POS thermal printer on the network</source>
        <translation>网络上的 ESC/POS 热敏打印机</translation>
    </message>
    <message>
        <location filename="../../ui/printer_settings.py" line="77"/>
        <source>ESC/POS thermal printer on a device or file</source>
        <translation>设备或文件上的 ESC/POS 热敏打印机</translation>
    </message>
    <message>
        <location filename="../../ui/printer_settings.py" line="86"/>
        <source>this computer has no printers</source>
        <translation>本机没有打印机</translation>
    </message>
    <message>
        <location filename="../../ui/printer_settings.py" line="90"/>
        <source>host name or address</source>
        <translation>主机名或地址</translation>
    </message>
    <message>
        <location filename="../../ui/printer_settings.py" line="97"/>
        <source>/dev/usb/lp0</source>
        <translation>/dev/usb/lp0</translation>
    </message>
    <message>
        <location filename="../../ui/printer_settings.py" line="98"/>
        <source>Default for every workstation (BOXOFFICE_PRINTER): {0}</source>
        <translation>所有工作站的默认设置（BOXOFFICE_PRINTER）：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/printer_settings.py" line="109"/>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <location filename="../../ui/printer_settings.py" line="113"/>
        <source>port</source>
        <translation>端口</translation>
    </message>
    <message>
        <location filename="../../ui/printer_settings.py" line="115"/>
        <source>Host</source>
        <translation>主机</translation>
    </message>
    <message>
        <location filename="../../ui/printer_settings.py" line="117"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../ui/printer_settings.py" line="119"/>
        <source>Test print</source>
        <translation>打印测试页</translation>
    </message>
    <message>
        <location filename="../../ui/printer_settings.py" line="121"/>
        <source>Use the default</source>
        <translation>使用默认设置</translation>
    </message>
    <message>
        <location filename="../../ui/printer_settings.py" line="124"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../ui/printer_settings.py" line="156"/>
        <source>Now: {0}</source>
        <translation>当前：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/printer_settings.py" line="206"/>
        <source>Printing a test page on {0}…</source>
        <translation>正在 {0} 上打印测试页…</translation>
    </message>
    <message>
        <location filename="../../ui/printer_settings.py" line="219"/>
        <source>Test page printed: {0}</source>
        <translation>测试页已打印：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/printer_settings.py" line="223"/>
        <source>Test print failed: {0}</source>
        <translation>测试打印失败：{0}</translation>
    </message>
</context>
<context>
    <name>ReportDialog</name>
    <message>
        <location filename="../../ui/till_dialogs.py" line="410"/>
        <source>Till report</source>
        <translation>收银机报表</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="419"/>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="427"/>
        <source>You have no open till.</source>
        <translation>您没有已开启的收银机。</translation>
    </message>
</context>
<context>
    <name>ReprintOverrideDialog</name>
    <message>
        <location filename="../../ui/reprint_dialog.py" line="45"/>
        <source>Reprint order {0}</source>
        <extracomment>from this print number on, a reprint needs a supervisor (boxoffice/services/tickets.py SUPERVISED_REPRINT)</extracomment>
        <translation>补打订单 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/reprint_dialog.py" line="49"/>
        <source>The tickets of order {0} were reprinted already. Reprint {1} makes every earlier print invalid at the gate: a supervisor must approve with their name and password.</source>
        <translation>订单 {0} 的门票已补打过。第 {1} 次补打会使之前打印的所有门票在检票口失效：须由主管输入姓名和密码批准。</translation>
    </message>
    <message>
        <location filename="../../ui/reprint_dialog.py" line="58"/>
        <source>Supervisor override</source>
        <translation>主管授权</translation>
    </message>
    <message>
        <location filename="../../ui/reprint_dialog.py" line="61"/>
        <source>Supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <location filename="../../ui/reprint_dialog.py" line="62"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../ui/reprint_dialog.py" line="69"/>
        <source>Do not reprint</source>
        <translation>不补打</translation>
    </message>
    <message>
        <location filename="../../ui/reprint_dialog.py" line="71"/>
        <source>Reprint</source>
        <translation>补打</translation>
    </message>
    <message>
        <location filename="../../ui/reprint_dialog.py" line="88"/>
        <source>A supervisor must type their name and password.</source>
        <translation>须由主管输入姓名和密码。</translation>
    </message>
    <message>
        <location filename="../../ui/reprint_dialog.py" line="92"/>
        <source>Reprinting…</source>
        <translation>正在补打…</translation>
    </message>
    <message>
        <location filename="../../ui/reprint_dialog.py" line="105"/>
        <source>Not reprinted: {0}</source>
        <translation>未补打：{0}</translation>
    </message>
</context>
<context>
    <name>SaleWindow</name>
    <message>
        <location filename="../../ui/sale_window.py" line="228"/>
        <source>{0} — {1} {2}</source>
        <extracomment>the colour of the rings that flash around a seat another window took out of the selection a seat this window claimed (a sale or hold in flight, or one that just failed) leaving the selection is this window&apos;s own doing for this long after the answer (the live map may hear of the claim after the answer) how long the seats of a sale refused for want of a till wait to be selected again (their release&apos;s echo on the live map can come late under load) the item data role holding a selected-seat row&apos;s columns (label, zone, price type, price) the question about live holds on closing was answered: True when the window closes, False when it stays</extracomment>
        <translation>{0} — {1} {2}</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="259"/>
        <source>Hold  (H)</source>
        <extracomment>the map&apos;s selection as last announced (to find seats that left it because another window took them) seats this window claimed (sale or hold in flight: until +inf; answered: until a moment after) seats of a sale refused for want of a till, to select again as they come free (the sale claimed them on the map for a moment, which took them out of the selection), until this monotonic deadline seats another window took out of the selection, not yet acknowledged by the clerk (Enter asks first) how the customer pays: one method, or split tender (ui/tender_panel.py); its fields keep their names here</extracomment>
        <translation>保留  (H)</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="266"/>
        <source>Sell  (Enter)</source>
        <extracomment>a sale or hold of this window is in flight</extracomment>
        <translation>出售  (回车)</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="275"/>
        <source>any zone</source>
        <translation>任意区域</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="277"/>
        <source>F{0}  {1} {2}</source>
        <translation>F{0}  {1} {2}</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="278"/>
        <source>Best available  (B)</source>
        <translation>最佳座位  (B)</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="285"/>
        <source>customer name (optional)</source>
        <translation>顾客姓名（可选）</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="288"/>
        <source>customer phone (optional)</source>
        <translation>顾客电话（可选）</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="305"/>
        <source>Selected seats</source>
        <translation>已选座位</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="348"/>
        <source>Sales for this session are closed</source>
        <extracomment>the live feed&apos;s reads fail (Redis does not answer): the map shows what it last heard</extracomment>
        <translation>本场次已停止售票</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="372"/>
        <source>Session</source>
        <translation>场次</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="373"/>
        <source>Rebuild the seat map…</source>
        <translation>重建座位图…</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="378"/>
        <source>Workstation</source>
        <translation>工作站</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="378"/>
        <source>Printer settings…</source>
        <translation>打印机设置…</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="514"/>
        <source>Sold at another window: {0}.</source>
        <extracomment>closing with live holds asks first (see closeEvent); tests and the app&apos;s own quit may skip the question</extracomment>
        <translation>已在其他窗口售出：{0}。</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="516"/>
        <source>Taken at another window: {0}.</source>
        <translation>已被其他窗口占用：{0}。</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="519"/>
        <source>Select other seats.</source>
        <translation>请选择其他座位。</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="521"/>
        <source>Sell {0} only? Press Enter to confirm.</source>
        <translation>只出售 {0}？按 Enter 确认。</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="523"/>
        <source>It left your selection: Enter asks before selling the rest.</source>
        <translation>它已离开您的选择：再按 Enter 前会先询问是否出售其余座位。</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="556"/>
        <source>{0}   taken at another window</source>
        <translation>{0}   已被其他窗口占用</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="570"/>
        <source>Adult</source>
        <translation>成人</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="579"/>
        <source>Total {0}</source>
        <translation>合计 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="627"/>
        <source>{0}: {1}</source>
        <translation>{0}：{1}</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="663"/>
        <source>Hold given back: {0}</source>
        <translation>已释放预留：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="673"/>
        <source>The hold was not given back: {0}</source>
        <translation>预留未能归还：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="684"/>
        <source>Hold of {0} put aside under My holds: Resume sells it.</source>
        <translation>{0} 的预留已暂存到“我的预留”：点“继续”即可出售。</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="701"/>
        <location filename="../../ui/sale_window.py" line="750"/>
        <source>Held until {0}: {1}. Enter sells them.</source>
        <translation>保留至 {0}：{1}。按回车键出售。</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="722"/>
        <source>Hold of {0} extended until {1}.</source>
        <translation>{0} 的预留已延长至 {1}。</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="726"/>
        <source>The hold was not extended: {0}</source>
        <translation>预留未能延长：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="766"/>
        <source>Could not look up the hold: {0}</source>
        <translation>无法查询预留：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="782"/>
        <source>No {0} adjacent free seats{1}.</source>
        <translation>没有 {0} 个相邻空座{1}。</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="784"/>
        <source> in {0}</source>
        <translation>（{0}）</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="794"/>
        <location filename="../../ui/sale_window.py" line="807"/>
        <source>Rebuild the seat map</source>
        <translation>重建座位图</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="794"/>
        <source>Reason (kept in the audit log)</source>
        <translation>原因（记入审计日志）</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="798"/>
        <source>Not rebuilt: a rebuild needs a reason.</source>
        <translation>未重建：重建需要填写原因。</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="808"/>
        <source>Replace the seat map of {0} in Redis with the database&apos;s? Live holds end; clerks&apos; windows reload the map.</source>
        <translation>用数据库中的座位图替换 Redis 中 {0} 的座位图？现有预留将结束；售票窗口会重新加载座位图。</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="825"/>
        <source>Not rebuilt.</source>
        <translation>未重建。</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="832"/>
        <source>Seat map rebuilt from the database.</source>
        <translation>已从数据库重建座位图。</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="840"/>
        <source>Find a seat</source>
        <translation>查找座位</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="840"/>
        <source>Seat label (e.g. N3-A-12)</source>
        <translation>座位编号（例如 N3-A-12）</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="843"/>
        <source>No seat {0} here.</source>
        <translation>没有座位 {0}。</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="870"/>
        <source>A supervisor must type their name and password.</source>
        <translation>须由主管输入姓名和密码。</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="876"/>
        <source>Selling…</source>
        <translation>正在出售…</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="901"/>
        <source>Till open: Enter sells the selected seats.</source>
        <translation>收银机已开启：按 Enter 出售所选座位。</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="912"/>
        <source>Order {0}: {1} — {2}</source>
        <translation>订单 {0}：{1} — {2}</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="914"/>
        <source>{0} {1}</source>
        <translation>{0} {1}</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="916"/>
        <source>{0} — {1}</source>
        <translation>{0} — {1}</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="920"/>
        <source>{0} — cash {1}, change {2}</source>
        <translation>{0} — 收现金 {1}，找零 {2}</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="929"/>
        <source>Tickets: {0}</source>
        <translation>门票：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="942"/>
        <source>Not sold: no till is open for you. Till → Open till… first; your seats are still selected.</source>
        <translation>未售出：您没有已开启的收银机。请先选择 收银机 → 开启收银机…；所选座位仍保留。</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="991"/>
        <source>Live holds</source>
        <translation>有效预留</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="992"/>
        <source>{0} — until {1}</source>
        <translation>{0} — 至 {1}</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="995"/>
        <source>You hold seats in this session:
{0}

Keep them for your customers? Open the session again to resume them; a hold ends by itself at its time.</source>
        <translation>您在本场次中预留了座位：
{0}

为顾客保留它们吗？再次打开本场次即可继续；预留到时会自动结束。</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="997"/>
        <source>Keep holds and close</source>
        <translation>保留预留并关闭</translation>
    </message>
    <message>
        <location filename="../../ui/sale_window.py" line="998"/>
        <source>Release and close</source>
        <translation>释放并关闭</translation>
    </message>
</context>
<context>
    <name>SeatHistoryPanel</name>
    <message>
        <location filename="../../ui/supervisor/history_panel.py" line="28"/>
        <source>held</source>
        <translation>预留</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/history_panel.py" line="29"/>
        <source>hold released</source>
        <translation>预留已释放</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/history_panel.py" line="30"/>
        <source>sold</source>
        <translation>已售出</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/history_panel.py" line="31"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/history_panel.py" line="32"/>
        <source>exchanged in</source>
        <translation>换入</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/history_panel.py" line="33"/>
        <source>exchanged out</source>
        <translation>换出</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/history_panel.py" line="34"/>
        <source>repaired</source>
        <translation>已修复</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/history_panel.py" line="35"/>
        <source>seat map rebuilt</source>
        <translation>座位图已重建</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/history_panel.py" line="36"/>
        <source>freed</source>
        <translation>已释放</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/history_panel.py" line="68"/>
        <source>seat label, e.g. N3-A-12 — Enter shows its history</source>
        <translation>座位编号，例如 N3-A-12 — 按回车键查看历史</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/history_panel.py" line="71"/>
        <source>Show history</source>
        <translation>查看历史</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/history_panel.py" line="84"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/history_panel.py" line="84"/>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/history_panel.py" line="84"/>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/history_panel.py" line="84"/>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/history_panel.py" line="84"/>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/history_panel.py" line="87"/>
        <source>Seat</source>
        <translation>座位</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/history_panel.py" line="106"/>
        <location filename="../../ui/supervisor/history_panel.py" line="124"/>
        <source>Choose a session first.</source>
        <translation>请先选择场次。</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/history_panel.py" line="127"/>
        <source>Type a seat label.</source>
        <translation>请输入座位编号。</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/history_panel.py" line="131"/>
        <source>Loading the history of {0}…</source>
        <translation>正在加载 {0} 的历史…</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/history_panel.py" line="140"/>
        <source>Seat {0} — session {1}</source>
        <translation>座位 {0} — 场次 {1}</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/history_panel.py" line="158"/>
        <source>from the audit log</source>
        <translation>来自审计日志</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/history_panel.py" line="159"/>
        <source>from the live change stream (Redis)</source>
        <translation>来自实时变更流（Redis）</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/history_panel.py" line="162"/>
        <source>{0} event(s).</source>
        <translation>共 {0} 条记录。</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/history_panel.py" line="163"/>
        <source>Nothing has happened to this seat yet.</source>
        <translation>此座位还没有任何记录。</translation>
    </message>
</context>
<context>
    <name>SeatMap</name>
    <message>
        <location filename="../../ui/seat_map.py" line="382"/>
        <source>Whole venue</source>
        <extracomment>the bounding box of every seat (layout units) (x, y, row label) at both ends of every row, bucketed by LABEL_CELL; two sections side by side share the aisle between them, so the same label at (nearly) the same place is kept once, between the two states of a seat someone holds: another clerk&apos;s (&quot;held&quot;) or the signed-in clerk&apos;s own (&quot;own&quot;) the mouse rests on a held seat: the window looks up who holds it (off the GUI thread) and calls show_hold the view moved (zoom, pan, fit, resize): the mini-map follows seats were redrawn (a new base image or changed seats): the mini-map repaints, at most a few times a second draws the base images off the GUI thread (the window&apos;s runner, or one shared by maps without a window) seats held by the signed-in clerk (drawn in OWN_HELD); the window tells the map (set_own_holds) stand, section and row labels on the map (at the zooms where they are readable) what the last paint drew: (kind, text) with kind &quot;stand&quot;, &quot;section&quot; or &quot;row&quot; (tests, the benchmark) where the last paint drew its stand, section and court labels: (kind, text, (left, top, right, bottom))</extracomment>
        <translation>全场</translation>
    </message>
    <message>
        <location filename="../../ui/seat_map.py" line="383"/>
        <source>Fit the whole venue in view (Home)</source>
        <translation>显示整个场馆（Home）</translation>
    </message>
    <message>
        <location filename="../../ui/seat_map.py" line="861"/>
        <source>held by {0} until {1}</source>
        <extracomment>Home anywhere in the map&apos;s window (a text field keeps its own Home): the whole venue</extracomment>
        <translation>由 {0} 预留，直到 {1}</translation>
    </message>
    <message>
        <location filename="../../ui/seat_map.py" line="933"/>
        <source>{0} — {1}, section {2}, row {3}, seat {4}{5}
{6} {7} · {8}</source>
        <translation>{0} — {1}，{2} 区，{3} 排，{4} 号{5}
{6} {7} · {8}</translation>
    </message>
    <message>
        <location filename="../../ui/seat_map.py" line="940"/>
        <source>free</source>
        <translation>空座</translation>
    </message>
    <message>
        <location filename="../../ui/seat_map.py" line="941"/>
        <source>held</source>
        <translation>已预留</translation>
    </message>
    <message>
        <location filename="../../ui/seat_map.py" line="942"/>
        <source>held by you</source>
        <translation>您的预留</translation>
    </message>
    <message>
        <location filename="../../ui/seat_map.py" line="943"/>
        <source>sold</source>
        <translation>已售出</translation>
    </message>
    <message>
        <location filename="../../ui/seat_map.py" line="944"/>
        <source>blocked</source>
        <translation>不可售</translation>
    </message>
    <message>
        <location filename="../../ui/seat_map.py" line="945"/>
        <source>selected</source>
        <translation>已选</translation>
    </message>
</context>
<context>
    <name>ServerStatus</name>
    <message>
        <location filename="../../ui/server_status.py" line="56"/>
        <source>Embedded {0} stopped — restarting…</source>
        <translation>内置 {0} 已停止 — 正在重启…</translation>
    </message>
    <message>
        <location filename="../../ui/server_status.py" line="58"/>
        <source>Embedded {0} could not be restarted, retrying: {1}</source>
        <translation>内置 {0} 无法重启，正在重试：{1}</translation>
    </message>
    <message>
        <location filename="../../ui/server_status.py" line="62"/>
        <source>Embedded {0} restarted at {1}</source>
        <translation>内置 {0} 已于 {1} 重启</translation>
    </message>
    <message>
        <location filename="../../ui/server_status.py" line="105"/>
        <source>Server status unknown: {0}</source>
        <translation>服务器状态未知：{0}</translation>
    </message>
</context>
<context>
    <name>SessionsModel</name>
    <message>
        <location filename="../../ui/sessions_window.py" line="99"/>
        <source>Starts</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="100"/>
        <source>Venue</source>
        <translation>场馆</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="101"/>
        <source>Session</source>
        <translation>场次</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="102"/>
        <source>Capacity</source>
        <translation>座位数</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="103"/>
        <source>Sold</source>
        <translation>已售</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="104"/>
        <source>Free now</source>
        <translation>当前空座</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="105"/>
        <source>Live holds</source>
        <translation>预留中</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="106"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="177"/>
        <source>ended</source>
        <translation>已结束</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="179"/>
        <source>sales closed</source>
        <translation>已停售</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="182"/>
        <source>on sale from {0}</source>
        <translation>{0} 起开售</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="183"/>
        <source>on sale</source>
        <translation>在售</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="188"/>
        <source>Ended {0}</source>
        <translation>已于 {0} 结束</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="191"/>
        <source>Sales closed {0}</source>
        <translation>已于 {0} 停售</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="192"/>
        <source>Sales closed by a supervisor</source>
        <translation>已由主管停售</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="194"/>
        <source>On sale until {0}</source>
        <translation>开售至 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="155"/>
        <source>This session has no seat map in Redis yet; it is rebuilt on the first sale.</source>
        <extracomment>the value a column sorts by (a date, a number, a name), not its text</extracomment>
        <translation>此场次在 Redis 中还没有座位图；首次售票时会重建。</translation>
    </message>
</context>
<context>
    <name>SessionsWindow</name>
    <message>
        <location filename="../../ui/sessions_window.py" line="459"/>
        <source>Box office — sessions</source>
        <translation>票务 — 场次</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="308"/>
        <source>Show ended sessions</source>
        <translation>显示已结束的场次</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="310"/>
        <source>Sessions that have ended are hidden unless this is ticked.</source>
        <translation>除非勾选此项，否则不显示已结束的场次。</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="361"/>
        <source>&amp;Supervisor</source>
        <translation>主管(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="362"/>
        <source>Stock reconciliation, outbox and history…</source>
        <translation>库存对账、发件箱与历史…</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="366"/>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="406"/>
        <source>Starting the database and Redis…</source>
        <extracomment>the user a running refresh is for: an answer for someone who signed out since is dropped</extracomment>
        <translation>正在启动数据库和 Redis…</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="412"/>
        <source>embedded servers</source>
        <translation>内置服务器</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="412"/>
        <source>servers</source>
        <translation>服务器</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="413"/>
        <source>PostgreSQL and Redis connected ({0})</source>
        <translation>PostgreSQL 和 Redis 已连接（{0}）</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="84"/>
        <source>{0} ({1})</source>
        <extracomment>rows whose sales are closed or whose session has ended are drawn in this grey</extracomment>
        <translation>{0}（{1}）</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="71"/>
        <source>clerk</source>
        <extracomment>sign out / switch user, in the File menu of every window of the application</extracomment>
        <translation>售票员</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="72"/>
        <source>supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="89"/>
        <source>{0} — {1}, {2} — {3}</source>
        <translation>{0} — {1}，{2} — {3}</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="94"/>
        <source>Box office — supervisor — {0}</source>
        <translation>票务 — 主管 — {0}</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="286"/>
        <source>Search sessions and venues (Ctrl+F)</source>
        <extracomment>set once the servers answer (main.py builds the app off the GUI thread and hands over its FrontDesk)</extracomment>
        <translation>搜索场次和场馆（Ctrl+F）</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="293"/>
        <source>All venues</source>
        <translation>全部场馆</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="298"/>
        <source>Any date</source>
        <translation>任意日期</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="298"/>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="299"/>
        <source>Tomorrow</source>
        <translation>明天</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="300"/>
        <source>Next 7 days</source>
        <translation>未来 7 天</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="300"/>
        <source>On…</source>
        <translation>指定日期…</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="312"/>
        <source>Clear filters</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="321"/>
        <source>Venue</source>
        <translation>场馆</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="323"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="345"/>
        <location filename="../../ui/sessions_window.py" line="516"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="346"/>
        <source>Open the selected session</source>
        <translation>打开所选场次</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="349"/>
        <source>Find a session</source>
        <translation>查找场次</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="353"/>
        <location filename="../../ui/sessions_window.py" line="518"/>
        <source>Sign out / switch user…</source>
        <translation>退出登录 / 切换用户…</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="358"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="453"/>
        <source>Offline: {0}</source>
        <translation>离线：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="461"/>
        <source>Box office — sessions — {0}</source>
        <translation>票务 — 场次 — {0}</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="487"/>
        <source>Still signed in: a window was not closed.</source>
        <translation>仍处于登录状态：有窗口未关闭。</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="524"/>
        <source>Close this window</source>
        <translation>关闭此窗口</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="608"/>
        <source>{0} sessions</source>
        <translation>{0} 个场次</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="610"/>
        <source>{0} of {1} sessions shown</source>
        <translation>显示 {0} / {1} 个场次</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="649"/>
        <source>Outbox lag {0}</source>
        <translation>消息延迟 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="651"/>
        <source>Till today {0}</source>
        <translation>今日收款 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="652"/>
        <source>Updated {0}</source>
        <translation>更新于 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="663"/>
        <source>Connection problem: {0}</source>
        <translation>连接问题：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="724"/>
        <source>Empty database</source>
        <translation>数据库为空</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="725"/>
        <source>There are no sessions yet. Load the demo venues (a 63,000-seat stadium and a sports hall), a week of sessions and demo accounts?</source>
        <translation>还没有场次。要加载演示场馆（一座 63,000 座的体育场和一座体育馆）、一周的场次和演示账号吗？</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="730"/>
        <source>Loading the demo…</source>
        <translation>正在加载演示数据…</translation>
    </message>
    <message>
        <location filename="../../ui/sessions_window.py" line="735"/>
        <source>Demo loaded</source>
        <translation>演示数据已加载</translation>
    </message>
</context>
<context>
    <name>SupervisorBox</name>
    <message>
        <location filename="../../ui/price_types.py" line="100"/>
        <source>Supervisor override</source>
        <extracomment>the session&apos;s price list; None until the FrontDesk answered (every seat adult at its zone&apos;s price)</extracomment>
        <translation>主管授权</translation>
    </message>
    <message>
        <location filename="../../ui/price_types.py" line="112"/>
        <source>Supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <location filename="../../ui/price_types.py" line="113"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../ui/price_types.py" line="122"/>
        <source>{0}: a supervisor must approve with their name and password.</source>
        <translation>{0}：须由主管输入姓名和密码批准。</translation>
    </message>
</context>
<context>
    <name>SupervisorWindow</name>
    <message>
        <location filename="../../ui/supervisor/window.py" line="71"/>
        <source>Box office — supervisor</source>
        <extracomment>the application&apos;s runner (shared with the other windows): closing never waits for its ops</extracomment>
        <translation>票务 — 主管</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/report_model.py" line="52"/>
        <location filename="../../ui/supervisor/window.py" line="113"/>
        <source>Drift</source>
        <translation>偏差</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="113"/>
        <location filename="../../ui/supervisor/window.py" line="130"/>
        <source>Seats</source>
        <translation>座位</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="120"/>
        <source>Select a session above.</source>
        <translation>请在上方选择一个场次。</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="123"/>
        <source>Repair selected…</source>
        <translation>修复所选…</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="125"/>
        <source>Release orphan holds…</source>
        <translation>释放孤立预留…</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="127"/>
        <source>Rebuild Redis from the database…</source>
        <translation>从数据库重建 Redis…</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="130"/>
        <source>Clerk</source>
        <translation>售票员</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="130"/>
        <source>Expires</source>
        <translation>到期</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="130"/>
        <source>Token</source>
        <translation>令牌</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="131"/>
        <source>Force-release hold…</source>
        <translation>强制释放预留…</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/report_model.py" line="47"/>
        <location filename="../../ui/supervisor/window.py" line="143"/>
        <source>Holds</source>
        <translation>预留</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/report_model.py" line="25"/>
        <source>Lost seat</source>
        <translation>丢失座位</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/report_model.py" line="26"/>
        <source>Redis keys missing</source>
        <translation>Redis 键缺失</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/report_model.py" line="27"/>
        <source>Unconfirmed sale</source>
        <translation>未确认销售</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/report_model.py" line="28"/>
        <source>Stale sale</source>
        <translation>过时销售</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/report_model.py" line="29"/>
        <source>Orphan hold</source>
        <translation>孤立预留</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/report_model.py" line="30"/>
        <source>Stale stock counter</source>
        <translation>库存计数过时</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/report_model.py" line="31"/>
        <source>Ledger behind</source>
        <translation>台账滞后</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/report_model.py" line="32"/>
        <source>Dead letters</source>
        <translation>死信</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/report_model.py" line="33"/>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/report_model.py" line="34"/>
        <source>Check failed</source>
        <translation>检查失败</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/report_model.py" line="40"/>
        <source>Session</source>
        <translation>场次</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/report_model.py" line="41"/>
        <source>Starts</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/report_model.py" line="42"/>
        <source>Capacity</source>
        <translation>座位数</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/report_model.py" line="43"/>
        <source>Redis taken</source>
        <translation>Redis 已占</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/report_model.py" line="44"/>
        <source>Redis free</source>
        <translation>Redis 空闲</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/report_model.py" line="45"/>
        <source>DB sold</source>
        <translation>数据库已售</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/report_model.py" line="46"/>
        <source>Blocked</source>
        <translation>封锁</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/report_model.py" line="48"/>
        <source>Ledger sold</source>
        <translation>台账已售</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/report_model.py" line="49"/>
        <source>Orders sold</source>
        <translation>订单已售</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/report_model.py" line="50"/>
        <source>Outbox pending</source>
        <translation>发件箱待发</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/report_model.py" line="51"/>
        <source>Dead</source>
        <translation>死信</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="171"/>
        <source>Drift and repair</source>
        <translation>偏差与修复</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="172"/>
        <source>Seat history</source>
        <translation>座位历史</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="173"/>
        <source>Charts</source>
        <translation>图表</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="174"/>
        <source>Outbox</source>
        <translation>发件箱</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="185"/>
        <source>Check now</source>
        <translation>立即检查</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="189"/>
        <source>Checking…</source>
        <extracomment>what the last check found (every 5 s); the outcome of the supervisor&apos;s own actions is ``status``, which a check does not overwrite</extracomment>
        <translation>正在检查…</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="197"/>
        <source>{0} (supervisor)</source>
        <translation>{0}（主管）</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/report_model.py" line="101"/>
        <source>Consistent</source>
        <translation>一致</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="250"/>
        <source>Checked {0} sessions at {1:%H:%M:%S}: {2}</source>
        <extracomment>checks start every ``interval_ms`` (from the start of the last one: its own length does not stretch the interval; one that takes longer than the interval is followed by the next as soon as it ends) when each check&apos;s answer arrived (monotonic seconds; the tests read the cadence)</extracomment>
        <translation>{1:%H:%M:%S} 已检查 {0} 个场次：{2}</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="252"/>
        <source>all consistent</source>
        <translation>全部一致</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="253"/>
        <source>{0} with drift</source>
        <translation>{0} 个有偏差</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="284"/>
        <source>Check failed: {0}</source>
        <translation>检查失败：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/report_model.py" line="79"/>
        <location filename="../../ui/supervisor/window.py" line="376"/>
        <source>consistent</source>
        <extracomment>the columns that hold counts: right-aligned, with the locale&apos;s thousands separators</extracomment>
        <translation>一致</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="99"/>
        <source>Fit whole venue</source>
        <extracomment>how long the last session chosen took from the click to its seats drawn (ms; None while loading) one row per session, updated in place every check (only changed cells are redrawn)</extracomment>
        <translation>显示整个场馆</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="100"/>
        <source>Show the whole venue (Home on the map)</source>
        <translation>显示整个场馆（在座位图上按 Home）</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="104"/>
        <source>Zoom in (+ on the map, or the mouse wheel)</source>
        <translation>放大（在座位图上按 +，或滚动鼠标滚轮）</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="108"/>
        <source>Zoom out (- on the map, or the mouse wheel)</source>
        <translation>缩小（在座位图上按 -，或滚动鼠标滚轮）</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="200"/>
        <source>&amp;Reports</source>
        <translation>报表(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="201"/>
        <source>&amp;Day report…</source>
        <translation>日报表(&amp;D)…</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="312"/>
        <source>Loading the map of {0} ({1})…</source>
        <translation>正在加载 {0}（{1}）的座位图…</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="351"/>
        <source>The map could not be loaded: {0}</source>
        <translation>无法加载座位图：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="375"/>
        <source>{0} — {1}: {2}</source>
        <translation>{0} — {1}：{2}</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="376"/>
        <source>drift</source>
        <translation>有偏差</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="376"/>
        <source>CRITICAL drift</source>
        <translation>严重偏差</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="423"/>
        <source> (expired)</source>
        <translation>（已过期）</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="476"/>
        <source>Tick the drift classes to repair first.</source>
        <translation>请先勾选要修复的偏差类别。</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="478"/>
        <source>Repair {0}</source>
        <translation>修复 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="481"/>
        <source>Release orphan holds</source>
        <translation>释放孤立预留</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="489"/>
        <source>{0} in session {1}? Every change is written to the audit log.</source>
        <translation>在场次 {1} 中执行“{0}”？每项更改都会写入审计日志。</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="499"/>
        <source>Rebuild Redis from the database</source>
        <translation>从数据库重建 Redis</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="502"/>
        <source>Replace the seat map of {0} in Redis with the database&apos;s? Live holds end; clerks&apos; windows reload the map.</source>
        <translation>用数据库中的座位图替换 Redis 中 {0} 的座位图？现有预留将结束；售票窗口会重新加载座位图。</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="507"/>
        <source>Session rebuilt from the database (epoch {0}).</source>
        <translation>场次已从数据库重建（纪元 {0}）。</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="515"/>
        <source>Select a hold first.</source>
        <translation>请先选择一个预留。</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="521"/>
        <source>unknown clerk</source>
        <translation>未知售票员</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="522"/>
        <source>unknown seats</source>
        <translation>未知座位</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="523"/>
        <source>Force-release hold</source>
        <translation>强制释放预留</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="525"/>
        <source>Release {0}&apos;s hold on {1}.
Reason (kept in the audit log)</source>
        <translation>释放 {0} 对 {1} 的预留。
原因（记入审计日志）</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="527"/>
        <source>Release {0}&apos;s hold on {1} now? Its seats go back on sale. (Hold {2})</source>
        <translation>现在释放 {0} 对 {1} 的预留吗？其座位将重新开售。（预留 {2}）</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="540"/>
        <source>{0}: cancelled, nothing was done.</source>
        <translation>{0}：已取消，未做任何操作。</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="543"/>
        <source>{0}: nothing was done — a reason is needed (it is kept in the audit log).</source>
        <translation>{0}：未做任何操作——需要填写原因（记入审计日志）。</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="611"/>
        <source>Day report saved: {0}</source>
        <translation>日报表已保存：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="532"/>
        <source>Hold released: {0} seat(s) back on sale.</source>
        <translation>预留已释放：{0} 个座位重新开售。</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="538"/>
        <source>Reason (kept in the audit log)</source>
        <translation>原因（记入审计日志）</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/report_model.py" line="105"/>
        <location filename="../../ui/supervisor/window.py" line="575"/>
        <source>{0}: {1}</source>
        <translation>{0}：{1}</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="576"/>
        <source>{0} not repaired: {1}</source>
        <translation>{0} 未修复：{1}</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="577"/>
        <source>Repaired — </source>
        <translation>已修复 — </translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="578"/>
        <source>Nothing repaired — </source>
        <translation>未修复任何内容 — </translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="593"/>
        <source>Map not live — reconnecting…</source>
        <translation>座位图未实时更新 — 正在重新连接…</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/window.py" line="598"/>
        <source>Map live again.</source>
        <translation>座位图已恢复实时更新。</translation>
    </message>
</context>
<context>
    <name>TenderPanel</name>
    <message>
        <location filename="../../ui/tender_panel.py" line="46"/>
        <source>Cash</source>
        <extracomment>the tenders or the change changed (the window re-checks what Enter may do)</extracomment>
        <translation>现金</translation>
    </message>
    <message>
        <location filename="../../ui/tender_panel.py" line="47"/>
        <location filename="../../ui/tender_panel.py" line="68"/>
        <source>Card</source>
        <translation>银行卡</translation>
    </message>
    <message>
        <location filename="../../ui/tender_panel.py" line="48"/>
        <location filename="../../ui/tender_panel.py" line="69"/>
        <source>Voucher</source>
        <translation>代金券</translation>
    </message>
    <message>
        <location filename="../../ui/tender_panel.py" line="49"/>
        <source>Split payment</source>
        <translation>组合支付</translation>
    </message>
    <message>
        <location filename="../../ui/tender_panel.py" line="51"/>
        <source>Part by card or voucher, the rest in cash</source>
        <translation>部分用银行卡或代金券支付，其余付现金</translation>
    </message>
    <message>
        <location filename="../../ui/tender_panel.py" line="62"/>
        <source>cash given (empty: exact)</source>
        <translation>收到现金（空：金额正好）</translation>
    </message>
    <message>
        <location filename="../../ui/tender_panel.py" line="79"/>
        <source>Cash given</source>
        <translation>收到现金</translation>
    </message>
    <message>
        <location filename="../../ui/tender_panel.py" line="120"/>
        <source>The cash given does not cover {0}.</source>
        <translation>收到的现金不足 {0}。</translation>
    </message>
    <message>
        <location filename="../../ui/tender_panel.py" line="124"/>
        <source>Not an amount: type it like 12.50.</source>
        <translation>不是金额：请按 12.50 的格式输入。</translation>
    </message>
    <message>
        <location filename="../../ui/tender_panel.py" line="127"/>
        <source>Card and voucher come to {0} more than the total {1}.</source>
        <translation>银行卡和代金券合计比总额 {1} 多 {0}。</translation>
    </message>
    <message>
        <location filename="../../ui/tender_panel.py" line="130"/>
        <source>The cash given does not cover the rest, {0}.</source>
        <translation>收到的现金不足以支付余额 {0}。</translation>
    </message>
    <message>
        <location filename="../../ui/tender_panel.py" line="161"/>
        <source>Not an amount</source>
        <translation>不是金额</translation>
    </message>
    <message>
        <location filename="../../ui/tender_panel.py" line="165"/>
        <source>Rest in cash {0}</source>
        <translation>余额现金支付 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/tender_panel.py" line="166"/>
        <source>{0} too much on card and voucher</source>
        <translation>银行卡和代金券多付 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/tender_panel.py" line="171"/>
        <source>Change {0}</source>
        <translation>找零 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/tender_panel.py" line="172"/>
        <source>{0} short</source>
        <translation>还差 {0}</translation>
    </message>
</context>
<context>
    <name>TillMenu</name>
    <message>
        <location filename="../../ui/till_dialogs.py" line="440"/>
        <source>Till</source>
        <translation>收银机</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="442"/>
        <source>Open till…</source>
        <translation>开启收银机…</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="443"/>
        <source>Cash drop…</source>
        <translation>现金解款…</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="444"/>
        <source>Payout…</source>
        <translation>支出…</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="445"/>
        <source>Close till (blind count)…</source>
        <translation>关闭收银机（盲点交班）…</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="446"/>
        <source>X report</source>
        <translation>X 报表</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="488"/>
        <source>No till is open for you: open one to sell.</source>
        <translation>您没有已开启的收银机：请先开启再售票。</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="493"/>
        <source>No till open</source>
        <translation>收银机未开启</translation>
    </message>
    <message>
        <location filename="../../ui/till_dialogs.py" line="495"/>
        <source>Open a till…</source>
        <translation>开启收银机…</translation>
    </message>
</context>
<context>
    <name>TillPdf</name>
    <message>
        <location filename="../../ui/till_pdf.py" line="28"/>
        <source>cash, no change recorded</source>
        <extracomment>lupdate reads translate(&quot;TillPdf&quot;, &quot;...&quot;) and QT_TRANSLATE_NOOP(&quot;TillPdf&quot;, &quot;...&quot;) with a literal context</extracomment>
        <translation>现金，未记录找零</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="29"/>
        <source>cash refund</source>
        <translation>现金退款</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="30"/>
        <source>comp / supervisor type</source>
        <translation>赠票 / 需主管的票价类型</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="31"/>
        <source>split tender</source>
        <translation>组合支付</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="32"/>
        <source>TENDERS DO NOT ADD UP</source>
        <translation>支付金额不符</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="42"/>
        <source>short {0}</source>
        <translation>短款 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="43"/>
        <source>over {0}</source>
        <translation>长款 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="54"/>
        <source>cash {0}, {1} from the variance</source>
        <translation>现金 {0}，与差额相差 {1}</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="55"/>
        <source>{0} from the variance</source>
        <translation>与差额相差 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="83"/>
        <source>till</source>
        <extracomment>the labels used inside f-strings (lupdate reads no call inside an f-string): marked here, translated per call by :func:`_labels`</extracomment>
        <translation>收银机</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="84"/>
        <source>Clerk</source>
        <translation>售票员</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="85"/>
        <source>Workstation</source>
        <translation>工作站</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="86"/>
        <source>Opened</source>
        <translation>开启时间</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="87"/>
        <source>Closed</source>
        <translation>关闭时间</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="88"/>
        <source>Signed off by</source>
        <translation>签核人</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="89"/>
        <source>Count by denomination</source>
        <translation>按面额点数</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="90"/>
        <source>By payment method</source>
        <translation>按支付方式</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="91"/>
        <source>Method</source>
        <translation>支付方式</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="92"/>
        <source>Payments</source>
        <translation>收款</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="93"/>
        <source>Refunds</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="94"/>
        <source>Net</source>
        <translation>净额</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="95"/>
        <source>Drops and payouts</source>
        <translation>解款和支出</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="96"/>
        <source>Orders that could explain the variance</source>
        <translation>可能造成差额的订单</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="97"/>
        <source>order</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="98"/>
        <source>Tender check: mismatches</source>
        <translation>支付核对：不符项</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="99"/>
        <source>paid</source>
        <translation>已付</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="100"/>
        <source>seats</source>
        <translation>座位</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="101"/>
        <source>Orders and seats</source>
        <translation>订单和座位</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="102"/>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="103"/>
        <source>Seats</source>
        <translation>座位</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="104"/>
        <source>Tenders</source>
        <translation>支付方式</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="105"/>
        <source>Flags</source>
        <translation>标记</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="106"/>
        <source>change</source>
        <translation>找零</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="107"/>
        <source>Z report (till closed)</source>
        <translation>Z 报表（收银机已关闭）</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="108"/>
        <source>X report (till open)</source>
        <translation>X 报表（收银机开启中）</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="109"/>
        <source>Opening float</source>
        <translation>备用金</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="110"/>
        <source>Expected cash</source>
        <translation>应有现金</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="111"/>
        <source>hidden until the drawer is counted</source>
        <translation>清点钱箱后才显示</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="112"/>
        <source>Cash taken</source>
        <translation>收入现金</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="113"/>
        <source>Change given</source>
        <translation>找零</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="114"/>
        <source>Cash refunds</source>
        <translation>现金退款</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="115"/>
        <source>Payouts</source>
        <translation>支出</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="116"/>
        <source>Drops</source>
        <translation>解款</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="117"/>
        <source>Counted</source>
        <translation>点数</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="118"/>
        <source>Variance</source>
        <translation>差额</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="119"/>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="120"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="121"/>
        <source>Amounts are hidden until the drawer is counted.</source>
        <translation>钱箱清点前不显示金额。</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="122"/>
        <source>(no reason)</source>
        <translation>（无原因）</translation>
    </message>
    <message>
        <location filename="../../ui/till_pdf.py" line="221"/>
        <source>{0} report, till {1}</source>
        <translation>{0} 报表，收银机 {1}</translation>
    </message>
</context>
<context>
    <name>drift</name>
    <message>
        <location filename="../../boxoffice/domain/drift.py" line="35"/>
        <source>sold or blocked in the database, free in Redis: another clerk could sell it (oversell risk)</source>
        <extracomment>drift classes, most urgent first what each drift class means (the supervisor&apos;s window shows it in the supervisor&apos;s language)</extracomment>
        <translation>数据库中已售或封锁，Redis 中空闲：其他售票员可能把它卖出（超售风险）</translation>
    </message>
    <message>
        <location filename="../../boxoffice/domain/drift.py" line="36"/>
        <source>the session has no seat map in Redis</source>
        <translation>该场次在 Redis 中没有座位图</translation>
    </message>
    <message>
        <location filename="../../boxoffice/domain/drift.py" line="37"/>
        <source>sold in the database, taken in Redis but not recorded as sold by this order line</source>
        <translation>数据库中已售，Redis 中已占用，但未记录为此订单行售出</translation>
    </message>
    <message>
        <location filename="../../boxoffice/domain/drift.py" line="38"/>
        <source>sold in Redis, free in the database: a cancel or exchange never reached Redis</source>
        <translation>Redis 中已售，数据库中空闲：某次取消或换座未同步到 Redis</translation>
    </message>
    <message>
        <location filename="../../boxoffice/domain/drift.py" line="39"/>
        <source>taken in Redis by no live hold, free in the database: the seat cannot be sold</source>
        <translation>Redis 中被占用但没有有效预留，数据库中空闲：该座位无法出售</translation>
    </message>
    <message>
        <location filename="../../boxoffice/domain/drift.py" line="40"/>
        <source>the Redis stock counter differs from the free seats of its own bitmap</source>
        <translation>Redis 库存计数与其位图中的空闲座位数不一致</translation>
    </message>
    <message>
        <location filename="../../boxoffice/domain/drift.py" line="41"/>
        <source>the stock ledger differs from the live order lines (after the outbox backlog)</source>
        <translation>库存台账与有效订单行不一致（已扣除发件箱积压）</translation>
    </message>
    <message>
        <location filename="../../boxoffice/domain/drift.py" line="42"/>
        <source>outbox messages of this session were dead-lettered: the ledger lacks them until they are retried</source>
        <translation>该场次有发件箱消息进入死信：重试之前台账中缺少它们</translation>
    </message>
    <message>
        <location filename="../../boxoffice/domain/drift.py" line="43"/>
        <source>a difference no other class explains (repaired by rebuilding Redis from the database)</source>
        <translation>其他类别无法解释的差异（从数据库重建 Redis 即可修复）</translation>
    </message>
    <message>
        <location filename="../../boxoffice/domain/drift.py" line="44"/>
        <source>the session could not be checked (the error is shown); the other sessions were</source>
        <translation>无法检查该场次（显示了错误）；其他场次已检查</translation>
    </message>
    <message>
        <location filename="../../boxoffice/domain/drift.py" line="51"/>
        <source>zone {zone}: ledger {have_seats} seats / {have_revenue}, orders say {want_seats} / {want_revenue}</source>
        <extracomment>the words of a session-level finding, by key; ``str.format`` fields are the :class:`Note`&apos;s params. The English text is what ``reconcile`` prints and what two passes compare; the supervisor&apos;s window translates the template.</extracomment>
        <translation>区域 {zone}：台账 {have_seats} 座 / {have_revenue}，订单为 {want_seats} / {want_revenue}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/domain/drift.py" line="53"/>
        <source>{count} outbox message(s) queued or published long ago and never applied (ids {ids}): the stream lost them</source>
        <translation>{count} 条发件箱消息很久以前已排队或发布但从未应用（编号 {ids}）：消息流丢失了它们</translation>
    </message>
    <message>
        <location filename="../../boxoffice/domain/drift.py" line="55"/>
        <source>{count} outbox message(s) dead-lettered (ids {ids}): retry them</source>
        <translation>{count} 条发件箱消息进入死信（编号 {ids}）：请重试</translation>
    </message>
    <message>
        <location filename="../../boxoffice/domain/drift.py" line="56"/>
        <source>capacity {redis} in Redis, {database} in the database</source>
        <translation>Redis 中容量为 {redis}，数据库中为 {database}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/domain/drift.py" line="57"/>
        <source>Redis says on sale, the database the opposite</source>
        <translation>Redis 显示在售，数据库相反</translation>
    </message>
    <message>
        <location filename="../../boxoffice/domain/drift.py" line="58"/>
        <source>Redis says not on sale, the database the opposite</source>
        <translation>Redis 显示未在售，数据库相反</translation>
    </message>
    <message>
        <location filename="../../boxoffice/domain/drift.py" line="59"/>
        <source>{count} bit(s) set past the session&apos;s {capacity} seats</source>
        <translation>有 {count} 个位超出了该场次的 {capacity} 个座位</translation>
    </message>
    <message>
        <location filename="../../boxoffice/domain/drift.py" line="60"/>
        <source>stock counter {stock}, free seats in the bitmap {free}</source>
        <translation>库存计数 {stock}，位图中空闲座位 {free}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/domain/drift.py" line="61"/>
        <source>no seat map keys</source>
        <translation>没有座位图键</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <location filename="../../boxoffice/errors.py" line="25"/>
        <source>unknown user or wrong password, or the account is locked for a while</source>
        <extracomment>The English templates of every reason an error can give, by reason key. ``str.format`` fields are the error&apos;s ``params`` (already text or numbers: a list of seats arrives joined). The UI translates the template in context &quot;errors&quot;; the translation keeps the same fields (a test checks).</extracomment>
        <translation>用户名或密码错误，或账号已被暂时锁定</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="27"/>
        <source>no user named {username!r}</source>
        <translation>没有名为“{username}”的用户</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="28"/>
        <source>user {username!r} is deactivated</source>
        <translation>用户“{username}”已停用</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="29"/>
        <source>user {username!r} ({role}) may not do this: it needs a supervisor</source>
        <translation>用户“{username}”（{role}）无权执行此操作：需要主管</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="31"/>
        <source>user {username!r} ({role}) may not open the supervisor screen</source>
        <translation>用户“{username}”（{role}）不能打开主管界面</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="32"/>
        <source>user {username!r} ({role}) may not do this</source>
        <translation>用户“{username}”（{role}）无权执行此操作</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="33"/>
        <source>{username!r} is not a supervisor: this needs a supervisor&apos;s name and password</source>
        <translation>“{username}”不是主管：此操作需要主管的用户名和密码</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="35"/>
        <source>adding a user needs a signed-in supervisor: sign in with `boxoffice login`</source>
        <translation>添加用户需要已登录的主管：请用 `boxoffice login` 登录</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="37"/>
        <source>this database has no supervisor yet: add the first one with `boxoffice user add NAME --role supervisor`</source>
        <translation>此数据库还没有主管：请用 `boxoffice user add NAME --role supervisor` 添加第一位主管</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="39"/>
        <source>a user name is 2–32 lower-case letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;, starting with a letter</source>
        <translation>用户名为 2–32 个小写字母、数字、“.”、“_”或“-”，并以字母开头</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="41"/>
        <source>role must be one of {roles}, not {role!r}</source>
        <translation>角色必须是 {roles} 之一，而不是“{role}”</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="42"/>
        <source>unknown role {role!r}</source>
        <translation>未知角色“{role}”</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="43"/>
        <source>a password needs at least {minimum} characters</source>
        <translation>密码至少需要 {minimum} 个字符</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="44"/>
        <source>user {username!r} exists already</source>
        <translation>用户“{username}”已存在</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="45"/>
        <source>not signed in: sign in with `boxoffice login`</source>
        <translation>未登录：请用 `boxoffice login` 登录</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="47"/>
        <source>no order with id {order_id}</source>
        <translation>没有编号为 {order_id} 的订单</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="48"/>
        <source>no order with number {number}</source>
        <translation>没有订单号为 {number} 的订单</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="49"/>
        <source>type an order number, a token, a seat label, or a customer&apos;s name or phone</source>
        <translation>请输入订单号、令牌、座位号，或顾客姓名或电话</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="51"/>
        <source>type an order number, a token, a seat label, or a customer&apos;s name or phone (at most 200 characters)</source>
        <translation>请输入订单号、令牌、座位号，或顾客姓名或电话（最多 200 个字符）</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="53"/>
        <source>seat {seat} has never been sold in this session</source>
        <translation>座位 {seat} 在本场次中从未售出</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="54"/>
        <source>no order with number, token or seat {query!r}</source>
        <translation>没有订单号、令牌或座位为“{query}”的订单</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="55"/>
        <source>a cancellation needs a reason</source>
        <translation>取消订单需要填写原因</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="56"/>
        <source>order {order_id} is {status}</source>
        <translation>订单 {order_id} 的状态为“{status}”</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="57"/>
        <source>cancelling order {order_id} needs a supervisor: a clerk cancels alone only orders they sold themselves today</source>
        <translation>取消订单 {order_id} 需要主管批准：售票员只能自行取消本人当天售出的订单</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="59"/>
        <source>an exchange keeps the number of seats: the order has {old}, {new} named</source>
        <translation>换座不能改变座位数量：订单有 {old} 个座位，却指定了 {new} 个</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="61"/>
        <source>order {order_id} already has {seats}; name only seats it does not have yet</source>
        <translation>订单 {order_id} 已包含 {seats}；请只指定订单中还没有的座位</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="63"/>
        <source>session {session_id} is {status}</source>
        <translation>场次 {session_id} 的状态为“{status}”</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="64"/>
        <source>order {order_id} changed meanwhile; look it up again</source>
        <translation>订单 {order_id} 已被更改；请重新查找</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="66"/>
        <source>seats unavailable: {seats}</source>
        <translation>座位不可售：{seats}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="67"/>
        <source>a seat of this order is already sold (database check)</source>
        <translation>此订单中有座位已售出（数据库检查）</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="68"/>
        <source>{seats} is blocked (not for sale)</source>
        <translation>{seats} 已封锁（不出售）</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="69"/>
        <source>{seats} are blocked (not for sale)</source>
        <translation>{seats} 已封锁（不出售）</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="70"/>
        <source>no {count} adjacent free seats</source>
        <translation>没有 {count} 个相邻空座</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="71"/>
        <source>no {count} adjacent free seats in zone {zone}</source>
        <translation>{zone} 区没有 {count} 个相邻空座</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="72"/>
        <source>the best {count} seats kept being taken by other sales; try again</source>
        <translation>最佳的 {count} 个座位不断被其他销售抢先售出；请重试</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="74"/>
        <source>best available needs a whole number of seats</source>
        <translation>最佳座位需要整数个座位</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="75"/>
        <source>best available takes 1 to {maximum} seats, not {count}</source>
        <translation>最佳座位可选 1 到 {maximum} 个座位，而不是 {count} 个</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="76"/>
        <source>payment must be one of {methods}, not {payment!r}</source>
        <translation>付款方式必须是 {methods} 之一，而不是“{payment}”</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="77"/>
        <source>the cash given is for cash payments only</source>
        <translation>所收现金仅适用于现金付款</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="78"/>
        <source>the cash given ({tendered}) does not cover the total {total}</source>
        <translation>所收现金（{tendered}）不足合计 {total}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="79"/>
        <source>name the seats or ask for the best N, not both and not neither</source>
        <translation>请指定座位或选择最佳 N 个座位，二者只能选其一</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="80"/>
        <source>unknown zone {zone!r}; this venue has {known}</source>
        <translation>未知区域“{zone}”；本场馆的区域为 {known}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="81"/>
        <source>no seats named</source>
        <translation>未指定座位</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="82"/>
        <source>at most {maximum} seats per order ({count} named)</source>
        <translation>每个订单最多 {maximum} 个座位（指定了 {count} 个）</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="83"/>
        <source>seat label {label!r} is ambiguous in {venue}: type it exactly ({twins})</source>
        <translation>座位编号“{label}”在 {venue} 中不唯一：请准确输入（{twins}）</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="85"/>
        <source>unknown seat label(s) for {venue}: {labels}</source>
        <translation>{venue} 中没有这些座位编号：{labels}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="86"/>
        <source>unknown seat label {label!r} for {venue}</source>
        <translation>{venue} 中没有座位编号“{label}”</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="87"/>
        <source>{seat} is named twice</source>
        <translation>{seat} 被指定了两次</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="88"/>
        <source>seat index {index} is outside {venue}</source>
        <translation>座位序号 {index} 不在 {venue} 中</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="89"/>
        <source>sales for this session are closed</source>
        <translation>本场次已停止售票</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="90"/>
        <source>sales for session {session_id} are not open yet</source>
        <translation>场次 {session_id} 尚未开售</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="91"/>
        <source>session {session_id} has no seat map in Redis</source>
        <translation>场次 {session_id} 在 Redis 中没有座位图</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="92"/>
        <source>unknown order token</source>
        <translation>未知的订单令牌</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="93"/>
        <source>this token belongs to another sale</source>
        <translation>此令牌属于另一笔销售</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="94"/>
        <source>the seat map was rebuilt; select the seats again</source>
        <translation>座位图已重建；请重新选择座位</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="95"/>
        <source>the order token has expired; start the sale again</source>
        <translation>订单令牌已过期；请重新开始售票</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="96"/>
        <source>the order token was already used</source>
        <translation>订单令牌已被使用</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="97"/>
        <source>the order token does not belong to session {session_id}</source>
        <translation>订单令牌不属于场次 {session_id}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="98"/>
        <source>the order token was issued for {issued} seats, not {wanted}</source>
        <translation>订单令牌是为 {issued} 个座位签发的，而不是 {wanted} 个</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="99"/>
        <source>seats wanted must be a positive whole number, not {wanted!r}</source>
        <translation>所需座位数必须是正整数，而不是 {wanted!r}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="100"/>
        <source>seat index {index} is repeated or outside session {session_id}</source>
        <translation>座位序号 {index} 重复或不在场次 {session_id} 内</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="102"/>
        <source>the hold is over ({state}); select the seats again</source>
        <translation>预留已结束（{state}）；请重新选择座位</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="103"/>
        <source>the hold has expired; select the seats again</source>
        <translation>预留已过期；请重新选择座位</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="105"/>
        <source>this hold was already extended {times} times; sell the seats or give them back</source>
        <translation>此预留已延长 {times} 次；请售出座位或释放预留</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="107"/>
        <source>the hold under this token was {state}; start again</source>
        <translation>此令牌下的预留状态为“{state}”；请重新开始</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="108"/>
        <source>this token has no held seats; name the seats to use it</source>
        <translation>此令牌没有预留的座位；请指定座位后使用</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="109"/>
        <source>the sale under this token was {state} without an order; start again</source>
        <translation>此令牌下的销售未生成订单，状态为“{state}”；请重新开始</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="111"/>
        <source>the sale under this token is order {order_id}, which was {status}; start a new sale</source>
        <translation>此令牌下的销售是订单 {order_id}，其状态为“{status}”；请开始新的销售</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="114"/>
        <source>the seat map is not live and these seats are held in it: press Enter again once it is back (usually within seconds), or Esc and select the seats again to sell them from the database</source>
        <translation>座位图未实时更新，且这些座位在其中被预留：恢复后（通常几秒内）再按回车键，或按 Esc 重新选择座位，从数据库出售</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="117"/>
        <source>the database could not be reached, so nothing was sold; the seats stay held for this customer: sell again (token {token}) when it answers ({detail})</source>
        <translation>无法连接数据库，未售出任何座位；座位仍为此顾客保留：数据库恢复后请再次出售（令牌 {token}）（{detail}）</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="120"/>
        <source>the database could not be reached, so nothing was sold and the seats were given back; sell again when it answers ({detail})</source>
        <translation>无法连接数据库，未售出任何座位，座位已释放；数据库恢复后请再次出售（{detail}）</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="122"/>
        <source>the database did not answer, so whether this sale was saved is unknown; its seats stay held and are settled as soon as the database answers again; retry with token {token} to finish this sale</source>
        <translation>数据库没有响应，无法确定此笔销售是否已保存；座位保持预留，数据库恢复后立即处理；请用令牌 {token} 重试以完成此笔销售</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="126"/>
        <source>order token {token} is in use, but its order could not be read back</source>
        <translation>订单令牌 {token} 已被使用，但无法读取其订单</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="128"/>
        <source>another process is still rebuilding the seat maps after an outage</source>
        <translation>另一个进程仍在故障后重建座位图</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="130"/>
        <source>Redis unreachable</source>
        <translation>无法连接 Redis</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="131"/>
        <source>Redis unavailable: {detail}</source>
        <translation>Redis 不可用：{detail}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="132"/>
        <source>Redis refused a command: {detail}</source>
        <translation>Redis 拒绝了命令：{detail}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="133"/>
        <source>Redis stream group missing: {detail}</source>
        <translation>Redis 消息流的消费组丢失：{detail}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="134"/>
        <source>database unavailable: {detail}</source>
        <translation>数据库不可用：{detail}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="135"/>
        <source>database unreachable: {detail}</source>
        <translation>无法连接数据库：{detail}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="136"/>
        <source>database unreachable: every pooled connection had been dropped by the server</source>
        <translation>无法连接数据库：连接池中的所有连接都已被服务器断开</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="138"/>
        <source>the database did not answer in time</source>
        <translation>数据库未及时响应</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="139"/>
        <source>the seats are locked by another sale for too long; try again</source>
        <translation>座位被另一笔销售锁定过久；请重试</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="140"/>
        <source>session {session_id} has {free} free seats, {wanted} wanted</source>
        <translation>场次 {session_id} 只剩 {free} 个空座，需要 {wanted} 个</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="141"/>
        <source>session {session_id}: {outstanding} sales already in progress for the seats left; retry</source>
        <translation>场次 {session_id}：剩余座位已有 {outstanding} 笔销售在进行中；请重试</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="143"/>
        <source>sales for session {session_id} open at {opens}</source>
        <translation>场次 {session_id} 将于 {opens} 开售</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="145"/>
        <source>a repair needs a reason</source>
        <translation>修复需要填写原因</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="146"/>
        <source>a rebuild needs a reason</source>
        <translation>重建需要填写原因</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="147"/>
        <source>a retry needs a reason</source>
        <translation>重试需要填写原因</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="148"/>
        <source>releasing a hold needs a reason</source>
        <translation>释放预留需要填写原因</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="149"/>
        <source>unknown drift class(es): {unknown}; known: {known}</source>
        <translation>未知的偏差类别：{unknown}；已知类别：{known}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="150"/>
        <source>no live hold {token} in session {session_id}</source>
        <translation>场次 {session_id} 中没有有效的预留 {token}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="151"/>
        <source>the sale under this hold was committed (order {order_id}); it is not a hold any more</source>
        <translation>此预留下的销售已提交（订单 {order_id}）；它已不再是预留</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="153"/>
        <source>no order with number, token, seat, customer name or phone {query!r}</source>
        <translation>没有订单号、令牌、座位、顾客姓名或电话为 {query!r} 的订单</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="155"/>
        <source>the customer&apos;s phone takes digits, spaces, dashes and a leading +</source>
        <translation>顾客电话只能包含数字、空格、连字符和开头的 +</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="156"/>
        <source>the customer&apos;s phone must have 4 to 20 digits</source>
        <translation>顾客电话必须有 4 到 20 位数字</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="157"/>
        <source>order {order_id} has no seat {seats}</source>
        <translation>订单 {order_id} 没有座位 {seats}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="158"/>
        <source>name at least one seat of the order to cancel</source>
        <translation>请至少指定订单中的一个要取消的座位</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="159"/>
        <source>name at least one seat of the order to move</source>
        <translation>请至少指定订单中的一个要更换的座位</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="160"/>
        <source>an exchange keeps the number of seats: {old} to move, {new} named</source>
        <translation>换座须保持座位数量不变：要更换 {old} 个，指定了 {new} 个</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="161"/>
        <source>this exchange refunds {amount} on order {order_id}: it needs a supervisor, as a cancel does (a clerk refunds alone only orders they sold themselves today)</source>
        <translation>此次换座将为订单 {order_id} 退款 {amount}：与取消一样需要主管批准（售票员只能独自为自己当天售出的订单退款）</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="167"/>
        <source>no till is open for {username!r}: open one (`boxoffice till open --float AMOUNT`, or Till → Open in the window) before selling</source>
        <translation>{username!r} 没有已开启的收银机：售票前请先开启（`boxoffice till open --float AMOUNT`，或在窗口中选择 收银机 → 开启）</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="169"/>
        <source>a tender is METHOD:AMOUNT with a method of {methods}, not {tender!r}</source>
        <translation>支付方式应写作 方式:金额，方式为 {methods} 之一，而不是 {tender!r}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="170"/>
        <source>a tender&apos;s amount must be more than 0, not {amount}</source>
        <translation>支付金额必须大于 0，而不是 {amount}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="171"/>
        <source>the tenders add up to {paid}, the order costs {total}</source>
        <translation>各项支付合计 {paid}，订单金额为 {total}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="172"/>
        <source>with split tenders, give the cash handed over in the cash tender (cash:AMOUNT/GIVEN)</source>
        <translation>组合支付时，请在现金一项中写明收到的现金（cash:金额/收到）</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="174"/>
        <source>{method} is named twice: give one amount per method</source>
        <translation>{method} 出现了两次：每种方式只写一个金额</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="175"/>
        <source>{amount} goes back in cash, paid from a till: {username!r} has none open (open a till first)</source>
        <translation>{amount} 需以现金从收银机退还：{username!r} 没有已开启的收银机（请先开启收银机）</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="178"/>
        <source>a count is DENOMINATIONxPIECES, e.g. 50x3,20x5,0.5x4, not {part}</source>
        <translation>点数应写作 面额x张数，例如 50x3,20x5,0.5x4，而不是 {part}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="179"/>
        <source>the number of {denomination} pieces must be a whole number from 0 to {maximum}, not {pieces}</source>
        <translation>{denomination} 的张数必须是 0 到 {maximum} 之间的整数，而不是 {pieces}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="181"/>
        <source>a count lists at most {maximum} denominations</source>
        <translation>点数最多列出 {maximum} 种面额</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="182"/>
        <source>give the counted cash as a total or by denomination, one of the two</source>
        <translation>请按总额或按面额给出点数现金，二者选一</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="184"/>
        <source>{username!r} already has till {shift_id} open on {workstation}: close it first</source>
        <translation>{username!r} 已在 {workstation} 上开启了收银机 {shift_id}：请先关闭它</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="186"/>
        <source>workstation {workstation!r} already has an open till ({username!r}, till {shift_id})</source>
        <translation>工作站 {workstation!r} 已有开启的收银机（{username!r}，收银机 {shift_id}）</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="188"/>
        <source>a workstation name is 1 to 100 printable characters</source>
        <translation>工作站名称为 1 到 100 个可打印字符</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="189"/>
        <source>a {kind} must be more than 0, not {amount}</source>
        <translation>{kind} 必须大于 0，而不是 {amount}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="190"/>
        <source>a payout needs a reason</source>
        <translation>支出需要填写原因</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="191"/>
        <source>no till shift with id {shift_id}</source>
        <translation>没有 ID 为 {shift_id} 的收银班次</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="192"/>
        <source>till {shift_id} is {owner!r}&apos;s: a clerk sees only their own tills</source>
        <translation>收银机 {shift_id} 属于 {owner!r}：售票员只能查看自己的收银机</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="193"/>
        <source>till {shift_id} was already counted ({counted}): a blind count is not repeated; a supervisor signs the close off</source>
        <translation>收银机 {shift_id} 已点数（{counted}）：盲点不能重复；请由主管签核交班</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="195"/>
        <source>till {shift_id} has not been counted yet: count the drawer first</source>
        <translation>收银机 {shift_id} 尚未点数：请先清点钱箱</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="197"/>
        <source>closing a till needs a supervisor&apos;s sign-off: their name and password</source>
        <translation>关闭收银机需要主管签核：输入其姓名和密码</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="199"/>
        <source>{username!r}&apos;s till {shift_id} is counted and waits for a supervisor&apos;s sign-off: it takes no more sales, refunds, drops or payouts until it is closed</source>
        <translation>{username!r} 的收银机 {shift_id} 已清点，等待主管签核：关闭前不再接受销售、退款、解款或支出</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="202"/>
        <source>no cash refund of {amount}: {username!r}&apos;s till {shift_id} is counted and waits for its sign-off</source>
        <translation>无法现金退款 {amount}：{username!r} 的收银机 {shift_id} 已清点，等待签核</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="204"/>
        <source>till {shift_id} has a variance of {variance}: signing off a close that does not balance needs a note saying why</source>
        <translation>收银机 {shift_id} 有差额 {variance}：签核不平的交班需要备注说明原因</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="208"/>
        <source>a {price_type} ticket needs a supervisor: a supervisor&apos;s name and password approve it</source>
        <translation>{price_type} 票需要主管批准：请输入主管的用户名和密码</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="210"/>
        <source>unknown price type {price_type!r}; this venue sells {known}</source>
        <translation>未知的票价类型 {price_type!r}；本场馆出售 {known}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="211"/>
        <source>price type {price_type!r} has no price in zone {zone}</source>
        <translation>票价类型 {price_type!r} 在 {zone} 区没有价格</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="212"/>
        <source>{types} price type(s) named for {seats} seat(s): name one per seat, or none (all {default})</source>
        <translation>为 {seats} 个座位指定了 {types} 个票价类型：每个座位指定一个，或都不指定（全部为 {default}）</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="214"/>
        <source>a price list is a JSON object with a &quot;types&quot; list (docs/price-types.md)</source>
        <translation>价目表是一个含有 &quot;types&quot; 列表的 JSON 对象（见 docs/price-types.md）</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="216"/>
        <source>{path}: not a JSON price list: {detail}</source>
        <translation>{path}：不是 JSON 价目表：{detail}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="217"/>
        <source>{where}: expected {expected}</source>
        <translation>{where}：应为 {expected}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="218"/>
        <source>the price list names no price type</source>
        <translation>价目表中没有任何票价类型</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="219"/>
        <source>the price list has {count} types: at most {maximum}</source>
        <translation>价目表有 {count} 种类型：最多 {maximum} 种</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="220"/>
        <source>{where}: a price type code is 1 to 16 lower-case letters, digits or &apos;_&apos;, not {code!r}</source>
        <translation>{where}：票价类型代码为 1 到 16 个小写字母、数字或 &apos;_&apos;，而不是 {code!r}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="222"/>
        <source>{where}: price type {code!r} is listed twice</source>
        <translation>{where}：票价类型 {code!r} 重复列出</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="223"/>
        <source>{where}: price type {code!r} has no price in any zone</source>
        <translation>{where}：票价类型 {code!r} 在任何区域都没有价格</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="224"/>
        <source>{where}: unknown zone {zone!r}; the venue&apos;s zones are {known}</source>
        <translation>{where}：未知区域 {zone!r}；场馆的区域为 {known}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="226"/>
        <source>{where}: {price!r} is not a price: write 12.00 (fixed), +3.00 or -5.00 (from the adult price) or -50% (a percentage of it)</source>
        <translation>{where}：{price!r} 不是价格：请写 12.00（固定价）、+3.00 或 -5.00（基于成人票价）或 -50%（成人票价的百分比）</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="229"/>
        <source>{where}: {price!r}: a percentage has a sign and lies between -100% and +1000%</source>
        <translation>{where}：{price!r}：百分比须带正负号，且在 -100% 到 +1000% 之间</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="231"/>
        <source>{where}: {price!r} makes {result} in zone {zone}: a price cannot be negative</source>
        <translation>{where}：{price!r} 在区域 {zone} 中得出 {result}：价格不能为负</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="233"/>
        <source>{where}: {price!r} makes {result}: a price is at most {maximum}</source>
        <translation>{where}：{price!r} 得出 {result}：价格最多为 {maximum}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="235"/>
        <source>name the venue or the session the price list is for (one of them)</source>
        <translation>请指定价目表所属的场馆或场次（二者选一）</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="237"/>
        <source>order {order_id} was reprinted already: reprint {reprint} needs a supervisor (a supervisor&apos;s name and password approve it)</source>
        <translation>订单 {order_id} 已补打过：第 {reprint} 次补打需要主管（由主管输入姓名和密码批准）</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="240"/>
        <source>name at least one seat of the order to reprint</source>
        <translation>请至少指定订单中要补打的一个座位</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="241"/>
        <source>{spec!r} is not a printer ({detail}): use pdf, system:NAME, escpos:tcp://HOST:PORT, escpos:file:/PATH, escpos:usb:VID:PID or escpos:serial:DEVICE</source>
        <translation>{spec!r} 不是打印机（{detail}）：请使用 pdf、system:NAME、escpos:tcp://HOST:PORT、escpos:file:/PATH、escpos:usb:VID:PID 或 escpos:serial:DEVICE</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="244"/>
        <source>no system printer named {name!r}; this computer has: {available}</source>
        <translation>没有名为 {name!r} 的系统打印机；本机有：{available}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="246"/>
        <source>printing on {spec} failed: {detail}</source>
        <translation>在 {spec} 上打印失败：{detail}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="248"/>
        <source>not a date (YYYY-MM-DD): {value!r}</source>
        <translation>不是日期（YYYY-MM-DD）：{value!r}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="249"/>
        <source>could not write the report to {path}: {detail}</source>
        <translation>无法将报表写入 {path}：{detail}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="104"/>
        <location filename="../../boxoffice/errors.py" line="164"/>
        <source>this hold is another clerk&apos;s</source>
        <translation>这是其他售票员的预留</translation>
    </message>
    <message>
        <location filename="../../boxoffice/errors.py" line="165"/>
        <source>unknown time zone {tz!r}</source>
        <translation>未知时区“{tz}”</translation>
    </message>
</context>
<context>
    <name>i18n</name>
    <message>
        <location filename="../../ui/i18n.py" line="48"/>
        <source>ddd d MMM HH:mm</source>
        <extracomment>date formats (Qt patterns, translated: each language orders them its own way); names come from the locale</extracomment>
        <translation>M月d日 ddd HH:mm</translation>
    </message>
    <message>
        <location filename="../../ui/i18n.py" line="79"/>
        <source>clerk</source>
        <extracomment>the words for the backend&apos;s codes a window shows (roles, order statuses, payment methods, seat states)</extracomment>
        <translation>售票员</translation>
    </message>
    <message>
        <location filename="../../ui/i18n.py" line="80"/>
        <source>supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <location filename="../../ui/i18n.py" line="81"/>
        <source>system</source>
        <translation>系统</translation>
    </message>
    <message>
        <location filename="../../ui/i18n.py" line="82"/>
        <source>paid</source>
        <translation>已付款</translation>
    </message>
    <message>
        <location filename="../../ui/i18n.py" line="83"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../ui/i18n.py" line="84"/>
        <source>cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <location filename="../../ui/i18n.py" line="85"/>
        <source>card</source>
        <translation>刷卡</translation>
    </message>
    <message>
        <location filename="../../ui/i18n.py" line="86"/>
        <source>free</source>
        <translation>空座</translation>
    </message>
    <message>
        <location filename="../../ui/i18n.py" line="87"/>
        <source>held</source>
        <translation>已预留</translation>
    </message>
    <message>
        <location filename="../../ui/i18n.py" line="88"/>
        <source>sold</source>
        <translation>已售出</translation>
    </message>
    <message>
        <location filename="../../ui/i18n.py" line="89"/>
        <source>blocked</source>
        <translation>不可售</translation>
    </message>
    <message>
        <location filename="../../ui/i18n.py" line="90"/>
        <source>selected</source>
        <translation>已选</translation>
    </message>
    <message>
        <location filename="../../ui/i18n.py" line="91"/>
        <source>released</source>
        <translation>已释放</translation>
    </message>
    <message>
        <location filename="../../ui/i18n.py" line="92"/>
        <source>exchanged</source>
        <translation>已换座</translation>
    </message>
    <message>
        <location filename="../../ui/i18n.py" line="93"/>
        <source>on sale</source>
        <translation>在售</translation>
    </message>
    <message>
        <location filename="../../ui/i18n.py" line="94"/>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <location filename="../../ui/i18n.py" line="95"/>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
</context>
<context>
    <name>insights</name>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="70"/>
        <source>order {order}: {seats}, total {total}</source>
        <extracomment>event kinds of a seat&apos;s history, in the words the UI translates stream ops that repeat an audited change → the audit kinds they repeat release reasons that the reconciler audits (a forced release, an orphan hold); the others are Redis-only kind of a stream entry that has no audit row to pair with how far apart (either way) a stream entry and its audit row may be: the audit time is the transaction&apos;s start, the stream&apos;s the Redis clock after commit (or before, for a rebuild) the templates of a seat event&apos;s detail (English; the window says them in the supervisor&apos;s language)</extracomment>
        <translation>订单 {order}：{seats}，合计 {total}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="71"/>
        <source> ({payment})</source>
        <translation>（{payment}）</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="72"/>
        <source>, paid </source>
        <translation>，支付 </translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="73"/>
        <source>, refunded </source>
        <translation>，退款 </translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="74"/>
        <source>{method} {amount}</source>
        <translation>{method} {amount}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="75"/>
        <source>{method} {amount} (given {given}, change {change})</source>
        <translation>{method} {amount}（收到 {given}，找零 {change}）</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="76"/>
        <source> + </source>
        <translation> + </translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="77"/>
        <source>; this seat {price_type}</source>
        <translation>；本座位 {price_type}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="78"/>
        <source>order {order} cancelled, refund {refund}</source>
        <translation>订单 {order} 已取消，退款 {refund}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="79"/>
        <source>order {order} moved here from {seats}</source>
        <translation>订单 {order} 从 {seats} 换到此座</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="80"/>
        <source>order {order} moved to {seats}</source>
        <translation>订单 {order} 换到 {seats}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="81"/>
        <source>, difference {difference}</source>
        <translation>，差额 {difference}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="82"/>
        <source> — {reason}</source>
        <translation>——{reason}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="83"/>
        <source>{clerk}&apos;s hold force-released</source>
        <translation>{clerk} 的预留被强制释放</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="84"/>
        <source>hold force-released</source>
        <translation>预留被强制释放</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="85"/>
        <source>{kind}: {before} → {after}</source>
        <translation>{kind}：{before} → {after}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="86"/>
        <source> ({actor})</source>
        <translation>（{actor}）</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="87"/>
        <source>seat map rebuilt from the database</source>
        <translation>已从数据库重建座位图</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="88"/>
        <source>seat map built from the database</source>
        <translation>已从数据库建立座位图</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="89"/>
        <source>held: {seats}</source>
        <translation>预留：{seats}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="90"/>
        <source>{clerk}&apos;s hold released ({reason}): {seats}</source>
        <translation>{clerk} 的预留已释放（{reason}）：{seats}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="91"/>
        <source>hold released ({reason}): {seats}</source>
        <translation>预留已释放（{reason}）：{seats}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="92"/>
        <source>{op} in Redis, no audit entry: {seats}</source>
        <translation>Redis 中{op}，无审计记录：{seats}</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="93"/>
        <source> ({reason})</source>
        <translation>（{reason}）</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="96"/>
        <source>cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="97"/>
        <source>card</source>
        <translation>银行卡</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="98"/>
        <source>voucher</source>
        <translation>代金券</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="99"/>
        <source>split</source>
        <translation>组合支付</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="100"/>
        <source>compensate</source>
        <translation>销售失败</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="101"/>
        <source>expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="102"/>
        <source>force</source>
        <translation>主管强制</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="103"/>
        <source>reconcile</source>
        <translation>对账程序</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="104"/>
        <source>stale</source>
        <translation>已失效</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="105"/>
        <source>unresolved</source>
        <translation>未决</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="106"/>
        <source>ended</source>
        <translation>已结束</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="107"/>
        <source>cancel</source>
        <translation>取消订单</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="108"/>
        <source>exchange</source>
        <translation>换座</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="109"/>
        <source>outbox</source>
        <translation>发件箱</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="110"/>
        <source>reason unknown</source>
        <translation>原因不明</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="111"/>
        <source>sold</source>
        <translation>售出</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="112"/>
        <source>free</source>
        <translation>释放</translation>
    </message>
    <message>
        <location filename="../../boxoffice/services/insights.py" line="113"/>
        <source>repair</source>
        <translation>修复</translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message>
        <location filename="../../ui/messages.py" line="43"/>
        <source>Server unavailable</source>
        <extracomment>arguments that are the backend&apos;s codes (a role, an order&apos;s or a hold&apos;s state): shown as translated words</extracomment>
        <translation>服务器不可用</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="45"/>
        <source>Sign-in failed</source>
        <translation>登录失败</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="47"/>
        <source>Not allowed</source>
        <translation>无权操作</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="49"/>
        <source>Sale refused</source>
        <translation>无法售票</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="51"/>
        <source>Check the input</source>
        <translation>请检查输入</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="53"/>
        <source>Box office</source>
        <translation>票务</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="54"/>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
</context>
<context>
    <name>tickets</name>
    <message>
        <location filename="../../ui/tickets_pdf.py" line="44"/>
        <source>Order {0}</source>
        <translation>订单 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/tickets_pdf.py" line="63"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location filename="../../ui/tickets_pdf.py" line="73"/>
        <source>Paid by card</source>
        <translation>刷卡支付</translation>
    </message>
    <message>
        <location filename="../../ui/tickets_pdf.py" line="69"/>
        <location filename="../../ui/tickets_pdf.py" line="76"/>
        <source>Cash given</source>
        <translation>实收现金</translation>
    </message>
    <message>
        <location filename="../../ui/tickets_pdf.py" line="56"/>
        <source>REPRINT {0}</source>
        <translation>补打 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/tickets_pdf.py" line="66"/>
        <source>Paid: {0}</source>
        <translation>已付：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/tickets_pdf.py" line="70"/>
        <location filename="../../ui/tickets_pdf.py" line="77"/>
        <source>Change</source>
        <translation>找零</translation>
    </message>
    <message>
        <location filename="../../ui/tickets_pdf.py" line="123"/>
        <source>Seat {0} · {1} · {2}</source>
        <translation>座位 {0} · {1} · {2}</translation>
    </message>
    <message>
        <location filename="../../ui/tickets_pdf.py" line="136"/>
        <source>Order {0} · ticket {1} of {2}</source>
        <translation>订单 {0} · 第 {1} 张，共 {2} 张</translation>
    </message>
    <message>
        <location filename="../../ui/tickets_pdf.py" line="142"/>
        <source>Receipt — order {0}</source>
        <translation>收据 — 订单 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/tickets_pdf.py" line="171"/>
        <source>Clerk {0}, {1}</source>
        <translation>售票员 {0}，{1}</translation>
    </message>
</context>
</TS>
