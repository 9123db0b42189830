package dev.agbscript.local;

import dev.agbscript.session.Language;

/**
 * What the escape tests run, in each language: small programs that try something and return what happened as a
 * string (the OS's answer: an errno's text or name, or the runtime's own error), so that a test asserts the specific
 * denial rather than "it failed".
 */
enum Probes {
    PYTHON(Language.PYTHON) {
        @Override
        String read(String path) {
            return "try:\n    open(" + q(path) + ", 'rb').read()\n    r = 'read'\nexcept OSError as e:\n"
                    + "    r = type(e).__name__ + ': ' + e.strerror\nr";
        }

        @Override
        String write(String path, int megabytes) {
            return "try:\n    with open(" + q(path) + ", 'wb') as f:\n        for _ in range(" + megabytes + "):\n"
                    + "            f.write(b'x' * 1048576)\n    r = 'written'\nexcept OSError as e:\n"
                    + "    r = type(e).__name__ + ': ' + e.strerror\nr";
        }

        @Override
        String connect(String host, int port) {
            return "import socket\ns = socket.socket(socket.AF_INET6 if ':' in " + q(host) + " else socket.AF_INET)\n"
                    + "s.settimeout(5)\ntry:\n    s.connect((" + q(host) + ", " + port + "))\n    r = 'connected'\n"
                    + "except OSError as e:\n    r = e.strerror or str(e)\nfinally:\n    s.close()\nr";
        }

        @Override
        String connectUnix(String path) {
            return "import socket\ns = socket.socket(socket.AF_UNIX)\ntry:\n    s.connect(" + q(path) + ")\n"
                    + "    r = 'connected'\nexcept OSError as e:\n    r = e.strerror\nfinally:\n    s.close()\nr";
        }

        @Override
        String processes() {
            return "import os\nps = []\nfor p in os.listdir('/proc'):\n    if p.isdigit():\n        try:\n"
                    + "            ps.append(open('/proc/' + p + '/cmdline', 'rb').read().replace(b'\\0', b' ')"
                    + ".decode())\n        except OSError:\n            pass\n'\\n'.join(ps)";
        }

        @Override
        String environment() {
            return "import os\n'\\n'.join(k + '=' + v for k, v in sorted(os.environ.items()))";
        }

        @Override
        String allocate(long bytes) {
            return "try:\n    block = bytearray(" + bytes + ")\n    r = 'allocated'\nexcept MemoryError as e:\n"
                    + "    r = 'MemoryError'\nr";
        }

        @Override
        String spawn(int count) {
            return "import subprocess\nps = []\ntry:\n    for _ in range(" + count + "):\n"
                    + "        ps.append(subprocess.Popen(['sleep', '600']))\n    r = 'spawned'\n"
                    + "except OSError as e:\n    r = type(e).__name__ + ': ' + e.strerror\n"
                    + "r + ' after ' + str(len(ps))";
        }

        @Override
        String orphan(String marker) {
            return "import subprocess\nsubprocess.Popen(['sleep', " + q(marker) + "], start_new_session=True,"
                    + " stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).pid";
        }

        @Override
        String fillDisk() {
            return "i = 0\nwhile True:\n    open('fill-%d' % i, 'wb').write(b'x' * 1048576)\n    i += 1";
        }
    },

    JAVASCRIPT(Language.JAVASCRIPT) {
        @Override
        String read(String path) {
            return "(() => { try { require('fs').readFileSync(" + q(path) + "); return 'read' }"
                    + " catch (e) { return e.code } })()";
        }

        @Override
        String write(String path, int megabytes) {
            return "(() => { const fs = require('fs'); let fd; try { fd = fs.openSync(" + q(path) + ", 'w');"
                    + " for (let i = 0; i < " + megabytes + "; i++) fs.writeSync(fd, Buffer.alloc(1048576, 120));"
                    + " return 'written' } catch (e) { return e.code } finally { if (fd !== undefined)"
                    + " fs.closeSync(fd) } })()";
        }

        @Override
        String connect(String host, int port) {
            return "await new Promise(done => { const s = require('net').connect({host: " + q(host) + ", port: "
                    + port + ", timeout: 5000}); s.on('connect', () => { s.destroy(); done('connected') });"
                    + " s.on('timeout', () => { s.destroy(); done('timeout') }); s.on('error', e => done(e.code)) })";
        }

        @Override
        String connectUnix(String path) {
            return "await new Promise(done => { const s = require('net').connect(" + q(path) + ");"
                    + " s.on('connect', () => { s.destroy(); done('connected') }); s.on('error', e => done(e.code)) })";
        }

        @Override
        String processes() {
            return "(() => { const fs = require('fs'); return fs.readdirSync('/proc').filter(p => /^\\d+$/.test(p))"
                    + ".map(p => { try { return fs.readFileSync('/proc/' + p + '/cmdline', 'utf8').split('\\0')"
                    + ".join(' ') } catch (e) { return '' } }).join('\\n') })()";
        }

        @Override
        String environment() {
            return "Object.keys(process.env).sort().map(k => k + '=' + process.env[k]).join('\\n')";
        }

        @Override
        String allocate(long bytes) {
            return "(() => { try { globalThis.block = Buffer.alloc(" + bytes + "); return 'allocated' }"
                    + " catch (e) { return e.name + ': ' + e.message } })()";
        }

        @Override
        String spawn(int count) {
            return "await (async () => { const { spawn } = require('child_process'); let n = 0;"
                    + " for (; n < " + count + "; n++) { const p = spawn('sleep', ['600'], {stdio: 'ignore'});"
                    + " if (p.pid === undefined) { const code = await new Promise(done => p.once('error',"
                    + " e => done(e.code))); return code + ' after ' + n } p.on('error', () => {}) }"
                    + " return 'spawned after ' + n })()";
        }

        @Override
        String orphan(String marker) {
            return "(() => { const p = require('child_process').spawn('sleep', [" + q(marker) + "], {detached: true,"
                    + " stdio: 'ignore'}); p.unref(); return p.pid })()";
        }

        @Override
        String fillDisk() {
            return "const fs = require('fs'); for (let i = 0; ; i++) fs.writeFileSync('fill-' + i,"
                    + " Buffer.alloc(1048576, 120))";
        }
    },

    R(Language.R) {
        @Override
        String read(String path) {
            return "tryCatch({ readBin(" + q(path) + ", 'raw', 10); 'read' },"
                    + " error = function(e) conditionMessage(e), warning = function(w) conditionMessage(w))";
        }

        @Override
        String write(String path, int megabytes) {
            return "tryCatch({ con <- file(" + q(path) + ", 'wb'); on.exit(close(con));"
                    + " for (i in seq_len(" + megabytes + ")) writeBin(as.raw(rep(120L, 1048576)), con); 'written' },"
                    + " error = function(e) conditionMessage(e), warning = function(w) conditionMessage(w))";
        }

        @Override
        String connect(String host, int port) {
            return "tryCatch({ con <- socketConnection(" + q(host) + ", " + port + ", open = 'r+b', timeout = 5,"
                    + " blocking = TRUE); close(con); 'connected' },"
                    + " error = function(e) conditionMessage(e), warning = function(w) conditionMessage(w))";
        }

        @Override
        String connectUnix(String path) {
            return read(path); // R has no Unix socket client: opening the socket file is what it can try
        }

        @Override
        String processes() {
            return "ps <- list.files('/proc', pattern = '^[0-9]+$')\n"
                    + "paste(vapply(ps, function(p) tryCatch(paste(readBin(file.path('/proc', p, 'cmdline'),"
                    + " 'character', 50), collapse = ' '), error = function(e) '', warning = function(w) ''),"
                    + " character(1)), collapse = '\\n')";
        }

        @Override
        String environment() {
            return "e <- Sys.getenv()\npaste(names(e), e, sep = '=', collapse = '\\n')";
        }

        @Override
        String allocate(long bytes) {
            return "tryCatch({ block <- raw(" + bytes + "); 'allocated' }, error = function(e) conditionMessage(e))";
        }

        @Override
        String spawn(int count) {
            // R's own fork (system() runs a shell, whose "Cannot fork" R does not report)
            return "n <- 0\nr <- tryCatch({ for (i in seq_len(" + count + ")) { parallel::mcparallel(Sys.sleep(600));"
                    + " n <- n + 1 }; 'spawned' }, error = function(e) conditionMessage(e))\npaste(r, 'after', n)";
        }

        @Override
        String orphan(String marker) {
            return "system('setsid sleep " + marker + " >/dev/null 2>&1 < /dev/null &')\n'started'";
        }

        @Override
        String fillDisk() {
            return "i <- 0\nrepeat { writeBin(as.raw(rep(120L, 1048576)), paste0('fill-', i)); i <- i + 1 }";
        }
    },

    JAVA(Language.JAVA) {
        @Override
        String read(String path) {
            return "String r;\ntry { java.nio.file.Files.readAllBytes(java.nio.file.Path.of(" + q(path) + "));"
                    + " r = \"read\"; } catch (java.io.IOException e) { r = " + REASON + "; }\nr";
        }

        @Override
        String write(String path, int megabytes) {
            return "String r;\ntry (var out = java.nio.file.Files.newOutputStream(java.nio.file.Path.of(" + q(path)
                    + "))) { for (int i = 0; i < " + megabytes + "; i++) out.write(new byte[1048576]);"
                    + " r = \"written\"; } catch (java.io.IOException e) { r = " + REASON + "; }\nr";
        }

        @Override
        String connect(String host, int port) {
            return "String r;\ntry (var s = new java.net.Socket()) { s.connect(new java.net.InetSocketAddress("
                    + q(host) + ", " + port + "), 5000); r = \"connected\"; } catch (java.io.IOException e) {"
                    + " r = e.getMessage(); }\nr";
        }

        @Override
        String connectUnix(String path) {
            return "String r;\ntry (var s = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of("
                    + q(path) + "))) { r = \"connected\"; } catch (java.io.IOException e) { r = e.getMessage(); }\nr";
        }

        @Override
        String processes() {
            return "String ps = java.util.Arrays.stream(new java.io.File(\"/proc\").list()).filter(p ->"
                    + " p.matches(\"\\\\d+\")).map(p -> { try { return new String(java.nio.file.Files.readAllBytes("
                    + "java.nio.file.Path.of(\"/proc\", p, \"cmdline\"))).replace('\\0', ' '); }"
                    + " catch (java.io.IOException e) { return \"\"; } }).collect(java.util.stream.Collectors"
                    + ".joining(\"\\n\"));\nps";
        }

        @Override
        String environment() {
            return "String env = new java.util.TreeMap<>(System.getenv()).entrySet().stream().map(e -> e.getKey()"
                    + " + \"=\" + e.getValue()).collect(java.util.stream.Collectors.joining(\"\\n\"));\nenv";
        }

        @Override
        String allocate(long bytes) {
            return "String r;\ntry { long[] block = new long[(int) Math.min(Integer.MAX_VALUE - 8, " + bytes + "L / 8)];"
                    + " r = \"allocated \" + block.length; } catch (OutOfMemoryError e) { r = e.toString(); }\nr";
        }

        @Override
        String spawn(int count) {
            return "String r; int n = 0; var ps = new java.util.ArrayList<Process>();\ntry { for (; n < " + count
                    + "; n++) ps.add(new ProcessBuilder(\"sleep\", \"600\").start()); r = \"spawned\"; }"
                    + " catch (java.io.IOException e) { r = e.getMessage(); }\nr + \" after \" + n";
        }

        @Override
        String orphan(String marker) {
            return "new ProcessBuilder(\"setsid\", \"sleep\", " + q(marker) + ").redirectOutput("
                    + "ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start().pid()";
        }

        @Override
        String fillDisk() {
            return "for (int i = 0; ; i++) java.nio.file.Files.write(java.nio.file.Path.of(\"fill-\" + i),"
                    + " new byte[1048576]);";
        }
    };

    /** An IOException as the OS's reason: {@code NoSuchFileException}, {@code FileSystemException: Read-only…}. */
    private static final String REASON = "e.getClass().getSimpleName() + (e instanceof java.nio.file.FileSystemException f"
            + " && f.getReason() != null ? \": \" + f.getReason() : e instanceof java.nio.file.FileSystemException"
            + " ? \"\" : \": \" + e.getMessage())";

    final Language language;

    Probes(Language language) {
        this.language = language;
    }

    static Probes of(Language language) {
        return valueOf(language.name());
    }

    /** Reads the file: "read", or the error. */
    abstract String read(String path);

    /** Writes that many MiB to the file: "written", or the error. */
    abstract String write(String path, int megabytes);

    /** Connects over TCP: "connected", or the error. */
    abstract String connect(String host, int port);

    /** Connects to a Unix socket: "connected", or the error. */
    abstract String connectUnix(String path);

    /** The command lines of the processes it sees, one a line. */
    abstract String processes();

    /** Its environment, {@code NAME=value} a line. */
    abstract String environment();

    /** Allocates that many bytes: "allocated", or the error. */
    abstract String allocate(long bytes);

    /** Starts that many {@code sleep 600}: what happened, and after how many. */
    abstract String spawn(int count);

    /** Starts {@code sleep <marker>} in a process session of its own, to outlive its parent. */
    abstract String orphan(String marker);

    /** Writes 1 MiB files into the working folder until something stops it. */
    abstract String fillDisk();

    /** A string literal of the language (all four accept single or double quotes as used here). */
    String q(String text) {
        String escaped = text.replace("\\", "\\\\");
        return this == JAVA ? "\"" + escaped.replace("\"", "\\\"") + "\"" : "'" + escaped.replace("'", "\\'") + "'";
    }
}
