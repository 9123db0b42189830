package dev.agbscript.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.scripting.support.StandardScriptEvaluator;
import org.springframework.scripting.support.StandardScriptFactory;
import org.springframework.scripting.support.StaticScriptSource;

/** Spring's JSR-223 support, unchanged, drives the engines (on the shared session manager). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SpringHostTest {
    public interface Greeter {
        String greet(String name);
    }

    @Test
    void standardScriptEvaluatorEvaluatesWithArguments() {
        StandardScriptEvaluator evaluator = new StandardScriptEvaluator();
        evaluator.setEngineName("agb-python");
        Object result = evaluator.evaluate(new StaticScriptSource("f'{greeting}, {name}!'"),
                Map.of("greeting", "Hello", "name", "Spring"));
        assertEquals("Hello, Spring!", result);
    }

    @Test
    void standardScriptFactoryObtainsAnInterfaceImplementedByScriptFunctions() throws Exception {
        StandardScriptFactory factory = new StandardScriptFactory("agb-python", "inline:greeter", Greeter.class);
        Object scripted = factory.getScriptedObject(new StaticScriptSource(
                "def greet(name):\n    return 'Hi ' + name.upper()\n"), Greeter.class);
        Greeter greeter = (Greeter) scripted;
        assertEquals("Hi ADA", greeter.greet("Ada"));
    }
}
