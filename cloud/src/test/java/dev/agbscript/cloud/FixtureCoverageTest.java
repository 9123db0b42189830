package dev.agbscript.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every fixture of the SDK's unit tests is replayed by a test, and every such test names a real fixture. */
class FixtureCoverageTest {
    private static final List<Class<?>> FIXTURE_TESTS = List.of(ToolTextFixturesTest.class, HttpFixturesTest.class,
            StreamFixturesTest.class, SessionFixturesTest.class);

    @Test
    void everyFixtureHasATest() {
        TreeSet<String> tested = new TreeSet<>();
        for (Class<?> type : FIXTURE_TESTS) {
            Stream.of(type.getDeclaredMethods()).map(m -> m.getAnnotation(Fixtures.Of.class))
                    .filter(java.util.Objects::nonNull).map(Fixtures.Of::value).forEach(tested::add);
        }
        assertEquals(new TreeSet<>(Fixtures.names()), tested);
        assertEquals(71, tested.size(), "the fixtures of shared/docs/agb-fixtures");
    }

    @Test
    void eachTestReplaysOneFixture() {
        long annotated = FIXTURE_TESTS.stream().flatMap(t -> Stream.of(t.getDeclaredMethods()))
                .filter(m -> m.isAnnotationPresent(Fixtures.Of.class)).map(Method::getName).distinct().count();
        assertEquals(Fixtures.names().size(), annotated);
    }
}
