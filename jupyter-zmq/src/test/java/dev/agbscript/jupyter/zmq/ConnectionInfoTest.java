package dev.agbscript.jupyter.zmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionInfoTest {
    @TempDir
    Path dir;

    @Test
    void portsDifferAndLieBelowTheRangeOfOutgoingConnections() throws Exception {
        int ephemeralStart = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0)
                .trim().split("\\s+")[0]);
        for (int i = 0; i < 20; i++) {
            ConnectionInfo info = ConnectionInfo.allocate();
            Set<Integer> ports = IntStream.of(info.shellPort(), info.iopubPort(), info.stdinPort(), info.controlPort(),
                    info.hbPort()).boxed().collect(Collectors.toSet());
            assertEquals(5, ports.size(), info.toString());
            assertTrue(ports.stream().allMatch(port -> port < ephemeralStart), info.toString());
        }
    }

    @Test
    void theFileAKernelReadsIsTheOneWrittenAndOnlyItsOwnerMayReadIt() throws Exception {
        ConnectionInfo info = ConnectionInfo.allocate();
        Path file = dir.resolve("kernel.json");
        info.write(file);
        assertEquals(info, ConnectionInfo.read(file));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
    }
}
