import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Second reference of bench/upload: the least a server can do with an HTTP upload. Takes one
 * request on 127.0.0.1:PORT, reads its Content-Length body from the socket in 1 MiB reads straight
 * into a direct buffer, writes it to a temporary file, fsyncs, renames to FILE, answers 204.
 * No framework, no second thread: what loopback TCP plus the page cache cost on this host.
 *   java bench/RawSink.java PORT FILE      (prints "ready" once listening)
 */
public final class RawSink {
    public static void main(String[] args) throws IOException {
        Path target = Path.of(args[1]);
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])));
            System.out.println("ready");
            System.out.flush();
            try (SocketChannel s = server.accept(); FileChannel out = FileChannel.open(tmp,
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
                // the head: read until the blank line; what follows it is the body's start
                StringBuilder head = new StringBuilder();
                int bodyStart = -1;
                while (bodyStart < 0) {
                    if (s.read(buf) < 0) {
                        throw new IOException("no request");
                    }
                    head.setLength(0);
                    for (int i = 0; i < buf.position(); i++) {
                        head.append((char) buf.get(i));
                    }
                    int end = head.indexOf("\r\n\r\n");
                    bodyStart = end < 0 ? -1 : end + 4;
                }
                long length = -1;
                for (String line : head.substring(0, bodyStart).split("\r\n")) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        length = Long.parseLong(line.substring(15).strip());
                    }
                }
                buf.flip().position(bodyStart);
                long pos = 0;
                while (true) {
                    while (buf.hasRemaining()) {
                        pos += out.write(buf, pos);
                    }
                    if (pos >= length) {
                        break;
                    }
                    buf.clear();
                    if (s.read(buf) < 0) {
                        throw new IOException("body cut at " + pos);
                    }
                    buf.flip();
                }
                out.force(false);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                s.write(ByteBuffer.wrap("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII)));
            }
        }
    }
}
