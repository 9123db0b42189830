package dev.agbscript.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.script.ScriptEngine;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Camunda 7, a real process engine on in-memory H2, runs script tasks and gateway conditions through our engines as
 * it runs any JSR-223 language: one cached engine per script format, each execution's variables as the Bindings
 * object of one eval. Each process instance must see its own variables only; what a script assigns becomes a
 * variable of its own instance (autoStoreScriptVariables) and nothing of the next one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CamundaHostTest {
    /** The names an instance may see; {@code discount} is given to some instances only, {@code helper} is assigned. */
    private static final String CANDIDATES = "'customer', 'discount', 'helper', 'items'";

    private ProcessEngine processEngine;
    private RuntimeService runtime;

    @BeforeAll
    void startProcessEngine() {
        ProcessEngineConfigurationImpl configuration = new StandaloneInMemProcessEngineConfiguration();
        configuration.setProcessEngineName("agb-camunda-test");
        configuration.setJdbcUrl("jdbc:h2:mem:agb-camunda-test;DB_CLOSE_DELAY=-1");
        configuration.setDatabaseSchemaUpdate("create-drop");
        configuration.setHistory("none");
        configuration.setJobExecutorActivate(false);
        configuration.setAutoStoreScriptVariables(true); // what a script assigns becomes a process variable
        processEngine = configuration.buildProcessEngine();
        runtime = processEngine.getRuntimeService();
        for (String language : List.of("python", "javascript", "r")) {
            processEngine.getRepositoryService().createDeployment()
                    .addString("order-" + language + ".bpmn", process(language)).deploy();
        }
    }

    @AfterAll
    void stopProcessEngine() throws Exception {
        ProcessEngineConfigurationImpl configuration =
                (ProcessEngineConfigurationImpl) processEngine.getProcessEngineConfiguration();
        for (String language : List.of("python", "javascript", "r")) {
            ScriptEngine cached = configuration.getScriptEngineResolver().getScriptEngine("agb-" + language, true);
            if (cached instanceof AutoCloseable engine) {
                engine.close();
            }
        }
        processEngine.close();
    }

    /** Reports the candidate names it sees, then assigns a helper; the result is the report. */
    private static String assess(String language) {
        return switch (language) {
            case "python" -> """
                    def _sees(name):
                        try:
                            eval(name)
                            return True
                        except NameError:
                            return False
                    _report = ','.join(n for n in [%s] if _sees(n))
                    helper = items * 10
                    _report""".formatted(CANDIDATES);
            case "javascript" -> """
                    const _report = [%s].filter((n) => { try { eval(n); return true; } catch (e) { return false; } });
                    helper = items * 10;
                    _report.join(',')""".formatted(CANDIDATES);
            default -> """
                    .here <- environment()
                    .report <- paste(Filter(function(n) exists(n, envir = .here), c(%s)), collapse = ',')
                    helper <- items * 10
                    .report""".formatted(CANDIDATES);
        };
    }

    private static String quoted(String language, String text) {
        return language.equals("r") ? "\"" + text + "\"" : "'" + text + "'";
    }

    private static String process(String language) {
        String format = "agb-" + language;
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
                             xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                             xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="agb">
                  <process id="order-%1$s" isExecutable="true" camunda:historyTimeToLive="1">
                    <startEvent id="start"/>
                    <sequenceFlow id="toAssess" sourceRef="start" targetRef="assess"/>
                    <scriptTask id="assess" scriptFormat="%2$s" camunda:resultVariable="report">
                      <script><![CDATA[%3$s]]></script>
                    </scriptTask>
                    <sequenceFlow id="toSize" sourceRef="assess" targetRef="size"/>
                    <exclusiveGateway id="size" default="toSmall"/>
                    <sequenceFlow id="toBig" sourceRef="size" targetRef="big">
                      <conditionExpression xsi:type="tFormalExpression" language="%2$s">items &gt; 3</conditionExpression>
                    </sequenceFlow>
                    <sequenceFlow id="toSmall" sourceRef="size" targetRef="small"/>
                    <scriptTask id="big" scriptFormat="%2$s" camunda:resultVariable="route">
                      <script>%4$s</script>
                    </scriptTask>
                    <scriptTask id="small" scriptFormat="%2$s" camunda:resultVariable="route">
                      <script>%5$s</script>
                    </scriptTask>
                    <sequenceFlow id="bigToReview" sourceRef="big" targetRef="review"/>
                    <sequenceFlow id="smallToReview" sourceRef="small" targetRef="review"/>
                    <userTask id="review"/>
                    <sequenceFlow id="toEnd" sourceRef="review" targetRef="end"/>
                    <endEvent id="end"/>
                  </process>
                </definitions>
                """.formatted(language, format, assess(language), quoted(language, "big"), quoted(language, "small"));
    }

    /** Starts an instance, which runs up to its review task, and returns its variables. */
    private Map<String, Object> run(String language, Map<String, Object> variables) {
        String id = runtime.startProcessInstanceByKey("order-" + language, variables).getId();
        return runtime.getVariables(id);
    }

    private static Map<String, Object> expected(Map<String, Object> given) {
        long items = ((Number) given.get("items")).longValue();
        Map<String, Object> expected = new HashMap<>(given);
        expected.put("report", given.containsKey("discount") ? "customer,discount,items" : "customer,items");
        expected.put("helper", items * 10);
        expected.put("route", items > 3 ? "big" : "small");
        return normalized(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"python", "javascript", "r"})
    void eachProcessInstanceSeesOnlyItsOwnVariables(String language) {
        Map<String, Object> first = Map.of("customer", "ada", "items", 5, "discount", 2);
        Map<String, Object> second = Map.of("customer", "bob", "items", 1); // no discount, and nothing of ada's
        Map<String, Object> firstSaw = normalized(run(language, first));
        Map<String, Object> secondSaw = normalized(run(language, second));
        assertEquals("customer,items", secondSaw.get("report"), "what the second instance saw of the candidates");
        assertEquals(expected(first), firstSaw);
        assertEquals(expected(second), secondSaw);
    }

    @ParameterizedTest
    @ValueSource(strings = {"python", "javascript", "r"})
    void fourThreadsOfFiveInstancesEachGetTheirOwnResults(String language) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                threads.add(pool.submit(() -> {
                    List<String> problems = new ArrayList<>();
                    for (int i = 0; i < 5; i++) {
                        Map<String, Object> given = new HashMap<>(Map.of("customer", "c" + thread + "-" + i,
                                "items", thread + i));
                        if (i % 2 == 0) {
                            given.put("discount", i);
                        }
                        Map<String, Object> seen = normalized(run(language, given));
                        if (!expected(given).equals(seen)) {
                            problems.add("thread " + thread + " instance " + i + ": " + seen);
                        }
                    }
                    return problems;
                }));
            }
            List<String> problems = new ArrayList<>();
            for (Future<List<String>> thread : threads) {
                problems.addAll(thread.get(240, TimeUnit.SECONDS));
            }
            assertEquals(List.of(), problems);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Numbers as longs: Camunda keeps the given Integers, the scripts' numbers come back as Longs or Doubles. */
    private static Map<String, Object> normalized(Map<String, Object> variables) {
        Map<String, Object> plain = new HashMap<>();
        variables.forEach((name, value) -> plain.put(name, value instanceof Number n && n.doubleValue() == n.longValue()
                ? (Object) n.longValue() : value));
        return plain;
    }
}
