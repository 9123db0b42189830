package dev.agbscript.jupyter;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;

/** Kernel messages for tests, as a kernel would send them. */
final class Messages {
    private Messages() {}

    /** A message of that type answering the request with that msg_id; content as JSON text. */
    static JupyterMessage from(String parentId, String msgType, String contentJson) {
        JsonObject parent = new JsonObject();
        parent.addProperty("msg_id", parentId);
        JupyterMessage message = JupyterMessage.request(msgType, JsonParser.parseString(contentJson).getAsJsonObject(),
                "kernel");
        return new JupyterMessage(List.of(), message.header(), parent, new JsonObject(), message.content());
    }

    static JupyterMessage status(String parentId, String state) {
        return from(parentId, "status", "{\"execution_state\": \"" + state + "\"}");
    }

    static JupyterMessage stdout(String parentId, String text) {
        JsonObject content = new JsonObject();
        content.addProperty("name", "stdout");
        content.addProperty("text", text);
        return from(parentId, "stream", content.toString());
    }

    static JupyterMessage replyOk(String parentId, int count) {
        return from(parentId, "execute_reply", "{\"status\": \"ok\", \"execution_count\": " + count + "}");
    }
}
