package dev.agbscript.cloud;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The response envelope of every AGB API call: {@code success, code, message, requestId, data}. The
 * release call may put it under {@code body} and capitalize the keys; both are read.
 *
 * <p>Success is the SDK's: {@code success:true} and an HTTP status below 400, or exactly 200 for the calls
 * whose SDK model says so (tool calls, ListSession, releaseSessionAsync, refreshSessionIdleTime).
 *
 * @param raw the whole response object, for fields outside the envelope such as {@code nextToken}
 */
record Envelope(boolean success, String code, String message, int httpStatus, String requestId,
                JsonElement data, JsonObject raw) {

    static Envelope parse(JsonObject body, int httpStatus, String headerRequestId, boolean only200) {
        JsonObject e = body;
        JsonElement nested = body.get("body");
        if (Json.member(body, "success", "Success") == null && nested != null && nested.isJsonObject()) {
            e = nested.getAsJsonObject();
        }
        Boolean success = Json.bool(e, "success", "Success");
        String requestId = Json.string(e, "requestId", "RequestId");
        boolean statusOk = only200 ? httpStatus == 200 : httpStatus < 400;
        return new Envelope(success != null && success && statusOk,
                orEmpty(Json.string(e, "code", "Code")), orEmpty(Json.string(e, "message", "Message")), httpStatus,
                requestId != null && !requestId.isEmpty() ? requestId : headerRequestId,
                Json.member(e, "data", "Data"), body);
    }

    /** True when the body looks like an envelope at all (an HTTP error page does not). */
    static boolean looksLike(JsonObject body) {
        JsonObject e = body.has("body") && body.get("body").isJsonObject() ? body.getAsJsonObject("body") : body;
        return Json.member(e, "success", "Success", "code", "Code") != null;
    }

    AgbApiException failure(String operation) {
        String why = !message.isEmpty() ? message
                : httpStatus != 200 && Boolean.TRUE.equals(Json.bool(raw, "success"))
                        ? "HTTP " + httpStatus + " (the SDK takes only HTTP 200 as success here)"
                        : "HTTP " + httpStatus;
        return new AgbApiException(operation, code, why, httpStatus, requestId);
    }

    JsonObject dataObject() {
        return Json.object(data);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
