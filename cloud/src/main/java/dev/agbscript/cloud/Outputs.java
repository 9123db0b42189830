package dev.agbscript.cloud;

import dev.agbscript.session.MimeBundle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The outputs of one run and which of them is the main result (the value {@code eval} returns).
 *
 * <p>The rule: the outputs the service flags {@code isMainResult} are main. When it flags none, as many of
 * the SDK's own shapes do ({@code {"text/plain": "42"}} alone), the last MIME bundle with a text form that
 * carries no flag at all is the main result: a kernel sends the value of the last expression after the
 * displays of the run. Outputs flagged {@code false} and plain strings (not bundles) are never main. The
 * SDK's {@code result} convenience takes the first text instead; the last is what a notebook shows as the
 * cell's value.
 */
final class Outputs {
    /**
     * One output as sent; {@code flag} is true or false as the service said, null when it said nothing
     * (only those may become the main result by the rule).
     */
    record Output(Map<String, String> data, Boolean flag) {}

    private final List<Output> outputs = new ArrayList<>();

    void add(Output output) {
        outputs.add(output);
    }

    /** The bundles, the main result decided by the rule above. */
    List<MimeBundle> bundles() {
        boolean anyFlagged = outputs.stream().anyMatch(o -> Boolean.TRUE.equals(o.flag()));
        int promoted = -1;
        if (!anyFlagged) {
            for (int i = outputs.size() - 1; i >= 0 && promoted < 0; i--) {
                if (outputs.get(i).flag() == null && outputs.get(i).data().get(MimeBundle.TEXT) != null) {
                    promoted = i;
                }
            }
        }
        List<MimeBundle> bundles = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            Output o = outputs.get(i);
            bundles.add(new MimeBundle(o.data(), Boolean.TRUE.equals(o.flag()) || i == promoted));
        }
        return bundles;
    }

    /** The output as it looks on its own, before the run is over (for listeners told of it at once). */
    static MimeBundle asSent(Output output) {
        return new MimeBundle(output.data(), Boolean.TRUE.equals(output.flag()));
    }
}
