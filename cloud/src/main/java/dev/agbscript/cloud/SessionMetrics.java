package dev.agbscript.cloud;

import com.google.gson.JsonObject;

/**
 * What the {@code get_metrics} tool reports about a session, read as the SDK reads it
 * ({@code session.py}, get_metrics): absent figures are 0, network figures under any of their spellings.
 *
 * @param raw the tool's JSON object as sent, for figures this record does not name
 */
public record SessionMetrics(int cpuCount, double cpuUsedPct, long diskTotal, long diskUsed, long memTotal,
                             long memUsed, double rxRateKBytePerS, double txRateKBytePerS, double rxUsedKByte,
                             double txUsedKByte, String timestamp, String raw) {

    static SessionMetrics parse(String text, String requestId) {
        JsonObject o = Json.object(Json.parse(text == null ? "" : text));
        if (o == null) {
            throw new AgbProtocolException("get_metrics returned non-object JSON: " + text, requestId);
        }
        String timestamp = Json.string(o, "timestamp");
        return new SessionMetrics(
                (int) number(o, "cpu_count"), number(o, "cpu_used_pct"),
                (long) number(o, "disk_total"), (long) number(o, "disk_used"),
                (long) number(o, "mem_total"), (long) number(o, "mem_used"),
                number(o, "rx_rate_kbyte_per_s", "rx_rate_kbps", "rx_rate_KBps"),
                number(o, "tx_rate_kbyte_per_s", "tx_rate_kbps", "tx_rate_KBps"),
                number(o, "rx_used_kbyte", "rx_used_kb", "rx_used_KB"),
                number(o, "tx_used_kbyte", "tx_used_kb", "tx_used_KB"),
                timestamp == null ? "" : timestamp, o.toString());
    }

    private static double number(JsonObject o, String... keys) {
        for (String key : keys) {
            Number n = Json.number(o, key);
            if (n != null) {
                return n.doubleValue();
            }
        }
        return 0;
    }
}
