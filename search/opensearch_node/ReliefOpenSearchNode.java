import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.opensearch.Version;
import org.opensearch.analysis.common.CommonAnalysisModulePlugin;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.index.mapper.MapperExtrasModulePlugin;
import org.opensearch.index.reindex.ReindexModulePlugin;
import org.opensearch.knn.plugin.KNNPlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessModulePlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.PluginInfo;
import org.opensearch.transport.Netty4ModulePlugin;

/**
 * A single-node OpenSearch server for Relief's development, tests and benchmarks:
 * the server with its modules taken from the classpath instead of a distribution.
 *
 * <p>Usage: {@code ReliefOpenSearchNode HOME HTTP_PORT}. It serves HTTP on
 * 127.0.0.1:HTTP_PORT, keeps data and logs under HOME, stops on SIGTERM or SIGINT,
 * and stops as well when its standard input reaches end of file: the process that
 * started it holds the other end, so the node never outlives it.
 */
public final class ReliefOpenSearchNode extends Node {

    // Everything to standard output, which the starting process sends to a file.
    private static final String LOGGING = String.join("\n",
            "status = error",
            "appender.console.type = Console",
            "appender.console.name = console",
            "appender.console.layout.type = PatternLayout",
            "appender.console.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] %m%n",
            "rootLogger.level = info",
            "rootLogger.appenderRef.console.ref = console",
            "logger.deprecation.name = org.opensearch.deprecation",
            "logger.deprecation.level = error",
            "");

    private ReliefOpenSearchNode(Environment environment) {
        super(environment, plugins(), true);
    }

    /**
     * The modules and the k-NN plugin under a distribution's names: a plugin's
     * extensions reach the plugin it names as extended, so k-NN's Painless
     * functions (cosineSimilarity and the like) need Painless to be called
     * lang-painless.
     */
    private static List<PluginInfo> plugins() {
        return List.of(
                plugin("transport-netty4", Netty4ModulePlugin.class),
                plugin("analysis-common", CommonAnalysisModulePlugin.class),
                plugin("mapper-extras", MapperExtrasModulePlugin.class),
                plugin("lang-painless", PainlessModulePlugin.class),
                plugin("reindex", ReindexModulePlugin.class),
                plugin("opensearch-knn", KNNPlugin.class, "lang-painless"));
    }

    private static PluginInfo plugin(String name, Class<? extends Plugin> type, String... extended) {
        return new PluginInfo(name, "classpath plugin", Version.CURRENT.toString(), Version.CURRENT,
                System.getProperty("java.specification.version"), type.getName(), List.of(extended), false);
    }

    // The stock listener installs a log4j converter that only a distribution's
    // logging configuration provides.
    @Override
    protected void configureNodeAndClusterIdStateListener(ClusterService clusterService) {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: ReliefOpenSearchNode HOME HTTP_PORT");
            System.exit(2);
        }
        try {
            run(Paths.get(args[0]), Integer.parseInt(args[1]));
        } catch (Throwable e) {
            e.printStackTrace();
            // Last, so the tail of the log says what failed.
            System.err.println("relief-opensearch-node: failed to start: " + causes(e));
            System.err.flush();
            // The node's own threads would keep a half-started JVM alive.
            Runtime.getRuntime().halt(1);
        }
    }

    private static String causes(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (text.length() > 0) {
                text.append("; caused by ");
            }
            text.append(cause.getClass().getName()).append(": ").append(cause.getMessage());
        }
        return text.toString();
    }

    private static void run(Path homeArg, int httpPort) throws Exception {
        Path home = homeArg.toAbsolutePath();
        Settings settings = nodeSettings(home, httpPort);
        Path config = Files.createDirectories(home.resolve("config"));
        Environment environment = InternalSettingsPreparer.prepareEnvironment(
                settings, Collections.emptyMap(), config, () -> "relief");
        Files.writeString(config.resolve("log4j2.properties"), LOGGING);
        LogConfigurator.registerErrorListener();
        LogConfigurator.configure(environment);
        Files.createDirectories(environment.modulesDir());
        Files.createDirectories(environment.pluginsDir());

        ReliefOpenSearchNode node = new ReliefOpenSearchNode(environment);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> close(node), "relief-node-stop"));
        node.start();
        System.out.println("relief-opensearch-node: started");
        exitOnEndOfInput(System.in);
    }

    private static Settings nodeSettings(Path home, int httpPort) {
        return Settings.builder()
                .put("cluster.name", "relief-embedded")
                .put("node.name", "relief")
                .put("path.home", home.toString())
                .put("path.data", home.resolve("data").toString())
                .put("path.logs", home.resolve("logs").toString())
                .put("network.host", "127.0.0.1")
                .put("http.port", httpPort)
                // Nothing joins this node; its transport port only has to be free.
                .put("transport.port", "0")
                .put("discovery.type", "single-node")
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .put("action.destructive_requires_name", true)
                .build();
    }

    private static void exitOnEndOfInput(InputStream input) {
        Thread watcher = new Thread(() -> {
            byte[] buffer = new byte[256];
            try {
                while (input.read(buffer) >= 0) {
                    // Input carries no commands; only its end matters.
                }
            } catch (IOException ignored) {
                // A broken pipe means the parent is gone, the same as end of input.
            }
            System.exit(0);
        }, "relief-node-parent-watch");
        watcher.setDaemon(false);
        watcher.start();
    }

    private static void close(Node node) {
        try {
            node.close();
            if (!node.awaitClose(20, TimeUnit.SECONDS)) {
                System.err.println("relief-opensearch-node: close timed out");
            }
        } catch (IOException | InterruptedException e) {
            e.printStackTrace();
        }
    }
}
