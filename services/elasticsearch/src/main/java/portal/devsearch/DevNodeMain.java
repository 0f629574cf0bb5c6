package portal.devsearch;

import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.ClasspathPluginsNode;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.transport.netty4.Netty4Plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Starts one throwaway, security-less Elasticsearch node inside this JVM, built only from
 * Maven Central artifacts (the server jar plus the transport-netty4 HTTP module). The
 * analysis-common and rest-root modules are not published there, so DevSupportPlugin
 * re-creates the parts of them that the portal needs (language analyzers, ngram, ...).
 *
 * Usage: DevNodeMain --home DIR --http-port N --transport-port N [--cluster-name X] [--node-name Y]
 *                    [-Ekey=value ...]
 */
public final class DevNodeMain {

    public static void main(String[] args) throws Exception {
        Path home = null;
        String httpPort = null;
        String transportPort = null;
        String clusterName = "portal-dev";
        String nodeName = "portal-dev-node";
        Settings.Builder extra = Settings.builder();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--home" -> home = Path.of(args[++i]).toAbsolutePath();
                case "--http-port" -> httpPort = args[++i];
                case "--transport-port" -> transportPort = args[++i];
                case "--cluster-name" -> clusterName = args[++i];
                case "--node-name" -> nodeName = args[++i];
                default -> {
                    if (a.startsWith("-E") && a.contains("=")) {
                        String kv = a.substring(2);
                        int eq = kv.indexOf('=');
                        extra.put(kv.substring(0, eq), kv.substring(eq + 1));
                    } else {
                        System.err.println("unknown argument: " + a);
                        System.exit(2);
                    }
                }
            }
        }
        if (home == null || httpPort == null || transportPort == null) {
            System.err.println("usage: DevNodeMain --home DIR --http-port N --transport-port N [-Ekey=value ...]");
            System.exit(2);
        }
        for (String d : List.of("config", "data", "logs", "modules", "plugins")) {
            Files.createDirectories(home.resolve(d));
        }

        Settings settings = Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("cluster.name", clusterName)
            .put("node.name", nodeName)
            .put("network.host", "127.0.0.1")
            .put("http.port", httpPort)
            .put("transport.port", transportPort)
            .put("discovery.type", "single-node")
            // throwaway node on a shared CI disk: never go read-only because the disk is full-ish
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            // tests like to DELETE /prefix_*
            .put("action.destructive_requires_name", false)
            .put(extra.build())
            .build();

        // Log to stdout (the start script sends it to STATE_DIR/es.log).
        Files.writeString(home.resolve("config").resolve("log4j2.properties"), String.join("\n",
            "status = error",
            "appender.console.type = Console",
            "appender.console.name = console",
            "appender.console.layout.type = PatternLayout",
            "appender.console.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] [%node_name]%marker %m%n",
            "rootLogger.level = " + System.getProperty("es.logger.level", "info"),
            "rootLogger.appenderRef.console.ref = console",
            ""
        ));
        LogConfigurator.registerErrorListener();
        LogConfigurator.setNodeName(nodeName);
        final String finalNodeName = nodeName;
        Environment environment = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> finalNodeName);
        LogConfigurator.configure(environment, true);

        Node node = new ClasspathPluginsNode(environment, List.of(Netty4Plugin.class, DevSupportPlugin.class));

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.prepareForClose();
                node.close();
                node.awaitClose(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "dev-node-shutdown"));

        node.start();
        System.out.println("portal dev Elasticsearch node started: http://127.0.0.1:" + httpPort);
        stopped.await();
    }
}
