package dev.agbscript.cloud;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the service says about one of its sessions (from {@code createSession} or {@code getSession}): its
 * id and the optional direct routes, LinkUrl for tool calls and wsUrl for streaming, with their token.
 *
 * @param toolServers tool name to MCP server, e.g. {@code run_code → wuying_codespace}
 */
public record SessionInfo(String sessionId, String status, String resourceUrl, String linkUrl, String wsUrl,
                          String token, Map<String, String> toolServers) {
    /** The server the service routes {@code run_code} to when the session does not say. */
    static final String DEFAULT_CODE_SERVER = "wuying_codespace";

    public SessionInfo {
        toolServers = Map.copyOf(toolServers);
    }

    static SessionInfo parse(JsonObject data) {
        return new SessionInfo(
                Json.string(data, "sessionId", "SessionId"),
                Json.string(data, "status", "Status"),
                Json.string(data, "resourceUrl", "ResourceUrl"),
                blankToNull(Json.string(data, "linkUrl", "LinkUrl")),
                blankToNull(Json.string(data, "wsUrl", "WsUrl")),
                blankToNull(Json.string(data, "token", "Token")),
                toolServers(Json.member(data, "toolList", "ToolList")));
    }

    /** {@code toolList} is a JSON string or an array of {@code {name, server}} (or Name/Server/serverName). */
    static Map<String, String> toolServers(JsonElement toolList) {
        Map<String, String> servers = new LinkedHashMap<>();
        JsonElement decoded = Json.decode(toolList);
        if (decoded == null || !decoded.isJsonArray()) {
            return servers;
        }
        JsonArray tools = decoded.getAsJsonArray();
        for (JsonElement tool : tools) {
            JsonObject t = Json.object(tool);
            String name = Json.string(t, "name", "Name");
            String server = Json.string(t, "server", "Server", "serverName", "ServerName");
            if (name != null && server != null) {
                servers.put(name, server);
            }
        }
        return servers;
    }

    /** The MCP server of {@code run_code}: the one the session names, else the default (the stream's target). */
    String codeServer() {
        return toolServers.getOrDefault("run_code", DEFAULT_CODE_SERVER);
    }

    /** The MCP server the session names for a tool, or null. */
    String serverOf(String tool) {
        return toolServers.get(tool);
    }

    /** The SDK calls a tool by the LinkUrl route when the session has linkUrl and token and names its server. */
    boolean offersLinkRoute(String tool) {
        return linkUrl != null && token != null && serverOf(tool) != null && !serverOf(tool).isEmpty();
    }

    SessionInfo withSessionId(String id) {
        return new SessionInfo(id, status, resourceUrl, linkUrl, wsUrl, token, toolServers);
    }

    /** A released session's final states: the SDK's delete waits for {@code FINISH}; {@code DELETED} is past it. */
    static boolean isEnded(String status) {
        return "FINISH".equalsIgnoreCase(status) || "DELETED".equalsIgnoreCase(status);
    }

    /** A session in one of these states runs no more code: ended, or being deleted. */
    static boolean isGone(String status) {
        return isEnded(status) || "DELETING".equalsIgnoreCase(status);
    }

    boolean offersStream() {
        return wsUrl != null && token != null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    @Override
    public String toString() {
        return "SessionInfo{" + sessionId + (status == null ? "" : ", " + status)
                + (linkUrl == null ? "" : ", link") + (wsUrl == null ? "" : ", ws") + "}";
    }
}
