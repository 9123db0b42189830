package dev.agbscript.jupyter;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One message of the Jupyter messaging protocol (version 5.3): header, parent header, metadata and
 * content, plus the ZeroMQ routing identities it came with.
 */
public record JupyterMessage(List<byte[]> identities, JsonObject header, JsonObject parentHeader, JsonObject metadata,
                      JsonObject content) {
    public static final String PROTOCOL_VERSION = "5.3";
    /**
     * The type of the message a connection delivers in place of a kernel's message it received but could not
     * read (a result too large for the host's memory, content that is no JSON): content {@code msg_type} (the lost
     * message's type), {@code reason}, and {@code out_of_memory}. It carries the lost message's parent, so the
     * execution it belonged to fails instead of ending without it.
     */
    public static final String LOST = "agb_lost";
    // NaN and infinities pass through as the tokens kernels use; no HTML escaping of < > & in content.
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().disableHtmlEscaping()
            .serializeNulls().create();

    /** The JSON writer for message parts, as kernels expect them. */
    public static Gson gson() {
        return GSON;
    }

    public static JupyterMessage request(String msgType, JsonObject content, String session) {
        JsonObject header = new JsonObject();
        header.addProperty("msg_id", UUID.randomUUID().toString());
        header.addProperty("msg_type", msgType);
        header.addProperty("username", "agb");
        header.addProperty("session", session);
        header.addProperty("date", Instant.now().toString());
        header.addProperty("version", PROTOCOL_VERSION);
        return new JupyterMessage(List.of(), header, new JsonObject(), new JsonObject(), content);
    }

    /** The message that stands for this one when its content could not be read (see {@link #LOST}). */
    public JupyterMessage lost(String reason, boolean outOfMemory) {
        JsonObject lostHeader = header.deepCopy();
        lostHeader.addProperty("msg_type", LOST);
        JsonObject lostContent = new JsonObject();
        lostContent.addProperty("msg_type", msgType());
        lostContent.addProperty("reason", reason);
        lostContent.addProperty("out_of_memory", outOfMemory);
        return new JupyterMessage(identities, lostHeader, parentHeader, metadata, lostContent);
    }

    public String msgId() {
        return string(header, "msg_id");
    }

    public String msgType() {
        return string(header, "msg_type");
    }

    /** The msg_id of the request this message answers, or null. */
    public String parentMsgId() {
        return string(parentHeader, "msg_id");
    }

    public String contentString(String name) {
        return string(content, name);
    }

    private static String string(JsonObject object, String name) {
        if (object == null) {
            return null;
        }
        JsonElement element = object.get(name);
        return element == null || element.isJsonNull() ? null : element.getAsString();
    }

    @Override
    public String toString() {
        return "JupyterMessage{" + msgType() + ", id=" + msgId() + ", parent=" + parentMsgId() + "}";
    }
}
