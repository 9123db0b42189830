package dev.agbscript.jshell;

import com.sun.jdi.BooleanValue;
import com.sun.jdi.ClassNotLoadedException;
import com.sun.jdi.Field;
import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.InvalidTypeException;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StackFrame;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.VirtualMachine;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import jdk.jshell.execution.JdiExecutionControl;

/**
 * The kernel's end of the agent connection: JShell's streaming protocol for commands, JDI for
 * {@link #stop()}. It does what the JDK's {@code JdiDefaultExecutionControl} does (whose constructor is
 * private): while user code runs, {@code stop()} suspends the agent, finds the thread inside the agent's
 * {@code invoke} and throws the agent's own stop exception into it, which leaves all state in place.
 */
final class NoDelayExecutionControl extends JdiExecutionControl {
    private static final String REMOTE_CONTROL = "jdk.jshell.execution.RemoteExecutionControl";
    private static final Set<String> AGENT_METHODS = Set.of("invoke", "varValue");

    private final Object stopLock = new Object();
    private final String agentClass;
    private VirtualMachine vm;
    private Process process;
    private boolean userCodeRunning;

    NoDelayExecutionControl(ObjectOutput toAgent, ObjectInput fromAgent, VirtualMachine vm, Process process,
                            String agentClass) {
        super(toAgent, fromAgent);
        this.vm = vm;
        this.process = process;
        this.agentClass = agentClass;
    }

    @Override
    public String invoke(String className, String methodName)
            throws RunException, EngineTerminationException, InternalException {
        synchronized (stopLock) {
            userCodeRunning = true;
        }
        try {
            return super.invoke(className, methodName);
        } finally {
            synchronized (stopLock) {
                userCodeRunning = false;
            }
        }
    }

    @Override
    public void stop() throws EngineTerminationException, InternalException {
        synchronized (stopLock) {
            if (!userCodeRunning) {
                return;
            }
            VirtualMachine machine = vm();
            // The flags are private fields of RemoteExecutionControl; look them up there, as JDI hides
            // private fields from subclasses.
            List<ReferenceType> types = machine.classesByName(REMOTE_CONTROL);
            if (types.isEmpty()) {
                return;
            }
            ReferenceType control = types.get(0);
            Field inClientCode = control.fieldByName("inClientCode");
            Field expectingStop = control.fieldByName("expectingStop");
            Field stopException = control.fieldByName("stopException");
            machine.suspend();
            try {
                for (ThreadReference thread : machine.allThreads()) {
                    StackFrame agentFrame = agentFrame(thread);
                    if (agentFrame == null) {
                        continue;
                    }
                    ObjectReference agent = agentFrame.thisObject();
                    if (((BooleanValue) agent.getValue(inClientCode)).value()) {
                        agent.setValue(expectingStop, machine.mirrorOf(true));
                        ObjectReference stop = (ObjectReference) agent.getValue(stopException);
                        machine.resume();
                        thread.stop(stop);
                        agent.setValue(expectingStop, machine.mirrorOf(false));
                    }
                    break;
                }
            } catch (ClassNotLoadedException | IncompatibleThreadStateException | InvalidTypeException e) {
                throw new InternalException("Cannot stop the running snippet: " + e);
            } finally {
                machine.resume();
            }
        }
    }

    private StackFrame agentFrame(ThreadReference thread) throws IncompatibleThreadStateException {
        for (StackFrame frame : thread.frames()) {
            String type = frame.location().declaringType().name();
            if ((agentClass.equals(type) || REMOTE_CONTROL.equals(type))
                    && AGENT_METHODS.contains(frame.location().method().name())) {
                return frame;
            }
        }
        return null;
    }

    @Override
    public void close() {
        super.close();
        Process agent;
        synchronized (this) {
            agent = process;
        }
        if (agent != null) {
            try {
                agent.waitFor(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        disposeVm();
    }

    synchronized void disposeVm() {
        try {
            if (vm != null) {
                vm.dispose();
            }
        } catch (VMDisconnectedException ignored) {
            // already gone
        } finally {
            vm = null;
            if (process != null) {
                process.destroyForcibly();
                process = null;
            }
        }
    }

    @Override
    protected synchronized VirtualMachine vm() throws EngineTerminationException {
        if (vm == null) {
            throw new EngineTerminationException("The agent JVM is gone");
        }
        return vm;
    }
}
