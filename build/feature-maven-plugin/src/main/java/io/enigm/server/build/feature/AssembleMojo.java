package io.enigm.server.build.feature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Resolves the bundles of the given feature descriptors and lays them out for a launcher.
 * <p>
 * Bundles resolve through Maven's own repository system: reactor modules built in the same
 * run come from the reactor, everything else from the local and remote repositories, exactly
 * like dependencies. Outputs:
 * <ul>
 *   <li>{@code outputDirectory}: the bundle jars, named {@code artifactId-version[-classifier].jar};</li>
 *   <li>{@code listFile}: the bundle list as JSON (format in docs/operations.md), read by the
 *       integration tests;</li>
 *   <li>{@code launcherConfig} (optional): {@code launcherTemplate} plus generated
 *       {@code felix.auto.start.N} lines and the features' framework properties;</li>
 *   <li>{@code configurationDirectory} (optional): one FileInstall {@code .cfg} file per
 *       configuration of the features.</li>
 * </ul>
 */
@Mojo(name = "assemble", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class AssembleMojo extends AbstractMojo {

    /** Launcher config property that holds the URL of the bundle directory, defined in the template. */
    static final String BUNDLE_DIR_PROPERTY = "enigm.bundle.dir";

    @Parameter(required = true)
    private List<File> features;

    @Parameter(defaultValue = "${project.build.directory}/bundles", required = true)
    private File outputDirectory;

    @Parameter(defaultValue = "${project.build.directory}/bundles/bundles.json", required = true)
    private File listFile;

    @Parameter
    private File launcherTemplate;

    @Parameter
    private File launcherConfig;

    @Parameter
    private File configurationDirectory;

    @Parameter(property = "enigm.feature.skip", defaultValue = "false")
    private boolean skip;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    @Parameter(defaultValue = "${repositorySystemSession}", readonly = true, required = true)
    private RepositorySystemSession repoSession;

    @Parameter(defaultValue = "${project.remoteProjectRepositories}", readonly = true, required = true)
    private List<RemoteRepository> remoteRepositories;

    @Component
    private RepositorySystem repositorySystem;

    @Override
    public void execute() throws MojoExecutionException {
        if (skip) {
            getLog().info("Skipping feature assembly");
            return;
        }
        try {
            List<FeatureReader.Feature> parsed = new ArrayList<>();
            for (File f : features) {
                parsed.add(FeatureReader.read(f.toPath(), this::property));
            }
            List<ResolvedBundle> bundles = resolve(parsed);
            copy(bundles);
            writeList(parsed, bundles);
            if (launcherConfig != null) {
                writeLauncherConfig(parsed, bundles);
            }
            if (configurationDirectory != null) {
                writeConfigurations(parsed);
            }
            getLog().info("Assembled " + bundles.size() + " bundles from " + features.size() + " feature(s) into "
                    + outputDirectory);
        } catch (IOException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
    }

    private String property(String name) {
        return switch (name) {
            case "project.version" -> project.getVersion();
            case "project.groupId" -> project.getGroupId();
            default -> Optional.ofNullable(session.getUserProperties().getProperty(name))
                    .orElse(project.getProperties().getProperty(name));
        };
    }

    private List<ResolvedBundle> resolve(List<FeatureReader.Feature> parsed) throws MojoExecutionException, IOException {
        Map<String, ResolvedBundle> byKey = new LinkedHashMap<>();
        for (FeatureReader.Feature feature : parsed) {
            for (FeatureBundle bundle : feature.bundles()) {
                FeatureBundle.Coordinates c = bundle.coordinates();
                ResolvedBundle seen = byKey.get(c.key());
                if (seen != null) {
                    if (!seen.bundle().coordinates().version().equals(c.version())) {
                        throw new MojoExecutionException("Bundle " + c.key() + " is listed with version "
                                + seen.bundle().coordinates().version() + " (feature " + seen.bundle().feature()
                                + ") and " + c.version() + " (feature " + bundle.feature() + ")");
                    }
                    continue;
                }
                checkReactorOrder(c);
                File file;
                try {
                    file = repositorySystem.resolveArtifact(repoSession, new ArtifactRequest(
                            new DefaultArtifact(c.groupId(), c.artifactId(), c.classifier(), c.type(), c.version()),
                            remoteRepositories, null)).getArtifact().getFile();
                } catch (ArtifactResolutionException e) {
                    throw new MojoExecutionException("Cannot resolve bundle " + c + " of feature "
                            + bundle.feature() + ": " + e.getMessage(), e);
                }
                if (file == null || !file.isFile()) {
                    throw new MojoExecutionException("Bundle " + c + " resolved to " + file
                            + ", not a jar: a reactor module must reach the package phase before this module");
                }
                byKey.put(c.key(), new ResolvedBundle(bundle, file.toPath(), symbolicName(file.toPath(), c)));
            }
        }
        List<ResolvedBundle> list = new ArrayList<>(byKey.values());
        // stable: within a start level the order of the descriptors is kept
        list.sort(Comparator.comparingInt(b -> b.bundle().startOrder()));
        return list;
    }

    /**
     * Maven orders the reactor before any plugin runs, so a feature cannot add ordering edges
     * itself: a module that assembles reactor bundles must depend on them. Fail with the fix
     * rather than silently picking up a stale jar from the local repository.
     */
    private void checkReactorOrder(FeatureBundle.Coordinates c) throws MojoExecutionException {
        for (MavenProject p : session.getProjects()) {
            if (p.getGroupId().equals(c.groupId()) && p.getArtifactId().equals(c.artifactId())
                    && !session.getProjectDependencyGraph().getUpstreamProjects(project, true).contains(p)) {
                throw new MojoExecutionException("Feature bundle " + c + " is built in this reactor but "
                        + project.getArtifactId() + " does not depend on it, so Maven may build it later."
                        + " Add it to " + project.getArtifactId() + "'s <dependencies> with <scope>provided</scope>.");
            }
        }
    }

    private static String symbolicName(Path jar, FeatureBundle.Coordinates c) throws MojoExecutionException, IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            Manifest m = j.getManifest();
            String bsn = m == null ? null : m.getMainAttributes().getValue("Bundle-SymbolicName");
            if (bsn == null || bsn.isBlank()) {
                throw new MojoExecutionException(c + " (" + jar + ") is not an OSGi bundle: no Bundle-SymbolicName");
            }
            return bsn.split(";", 2)[0].trim();
        }
    }

    private void copy(List<ResolvedBundle> bundles) throws IOException {
        Path out = outputDirectory.toPath();
        Files.createDirectories(out);
        Set<String> names = new LinkedHashSet<>();
        for (ResolvedBundle b : bundles) {
            String name = b.bundle().coordinates().fileName();
            names.add(name);
            Files.copy(b.file(), out.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        }
        // a bundle dropped from a feature must not linger in the distribution
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(out, "*.jar")) {
            for (Path p : ds) {
                if (!names.contains(p.getFileName().toString())) {
                    getLog().info("Removing stale " + p.getFileName());
                    Files.delete(p);
                }
            }
        }
    }

    private void writeList(List<FeatureReader.Feature> parsed, List<ResolvedBundle> bundles) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("format", 1);
        ArrayNode fs = root.putArray("features");
        for (int i = 0; i < parsed.size(); i++) {
            fs.addObject().put("name", parsed.get(i).name()).put("id", parsed.get(i).id())
                    .put("descriptor", features.get(i).getAbsolutePath());
        }
        ObjectNode fp = root.putObject("frameworkProperties");
        frameworkProperties(parsed).forEach(fp::put);
        ArrayNode bs = root.putArray("bundles");
        Path out = outputDirectory.toPath().toAbsolutePath();
        for (ResolvedBundle b : bundles) {
            String name = b.bundle().coordinates().fileName();
            bs.addObject()
                    .put("id", b.bundle().coordinates().toString())
                    .put("symbolicName", b.symbolicName())
                    .put("feature", b.bundle().feature())
                    .put("startOrder", b.bundle().startOrder())
                    .put("start", b.bundle().start())
                    .put("file", name)
                    .put("path", out.resolve(name).toString());
        }
        ObjectNode cs = root.putObject("configurations");
        for (FeatureReader.Feature f : parsed) {
            f.configurations().forEach(cs::set);
        }
        Files.createDirectories(listFile.toPath().toAbsolutePath().getParent());
        Files.writeString(listFile.toPath(), mapper.writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
    }

    private static Map<String, String> frameworkProperties(List<FeatureReader.Feature> parsed) throws IOException {
        Map<String, String> props = new LinkedHashMap<>();
        for (FeatureReader.Feature f : parsed) {
            for (Map.Entry<String, String> e : f.frameworkProperties().entrySet()) {
                String old = props.putIfAbsent(e.getKey(), e.getValue());
                if (old != null && !old.equals(e.getValue())) {
                    throw new IOException("Framework property " + e.getKey() + " is set to '" + old
                            + "' and, in feature " + f.name() + ", to '" + e.getValue() + "'");
                }
            }
        }
        return props;
    }

    private void writeLauncherConfig(List<FeatureReader.Feature> parsed, List<ResolvedBundle> bundles) throws IOException {
        StringBuilder sb = new StringBuilder();
        if (launcherTemplate != null) {
            sb.append(Files.readString(launcherTemplate.toPath(), StandardCharsets.UTF_8));
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '\n') {
                sb.append('\n');
            }
        }
        sb.append("\n# ---- generated by enigm-feature-maven-plugin from ");
        for (int i = 0; i < parsed.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(features.get(i).getName());
        }
        sb.append(" ----\n");

        Map<Integer, List<ResolvedBundle>> start = new TreeMap<>();
        Map<Integer, List<ResolvedBundle>> install = new TreeMap<>();
        for (ResolvedBundle b : bundles) {
            (b.bundle().start() ? start : install).computeIfAbsent(b.bundle().startOrder(), k -> new ArrayList<>()).add(b);
        }
        int beginning = bundles.stream().mapToInt(b -> b.bundle().startOrder()).max().orElse(1);
        sb.append("org.osgi.framework.startlevel.beginning=").append(beginning).append('\n');
        appendLevels(sb, "felix.auto.start.", start);
        appendLevels(sb, "felix.auto.install.", install);

        Map<String, String> fp = frameworkProperties(parsed);
        if (!fp.isEmpty()) {
            sb.append("# framework properties of the features\n");
            for (Map.Entry<String, String> e : fp.entrySet()) {
                sb.append(escape(e.getKey(), true)).append('=').append(escape(e.getValue(), false)).append('\n');
            }
        }
        Files.createDirectories(launcherConfig.toPath().toAbsolutePath().getParent());
        Files.writeString(launcherConfig.toPath(), sb.toString(), StandardCharsets.UTF_8);
    }

    private static void appendLevels(StringBuilder sb, String prefix, Map<Integer, List<ResolvedBundle>> levels) {
        for (Map.Entry<Integer, List<ResolvedBundle>> level : levels.entrySet()) {
            sb.append(prefix).append(level.getKey()).append('=');
            for (ResolvedBundle b : level.getValue()) {
                // quoted: Felix's AutoProcessor splits on blanks outside quotes
                sb.append(" \\\n \"${").append(BUNDLE_DIR_PROPERTY).append("}/")
                        .append(b.bundle().coordinates().fileName()).append('"');
            }
            sb.append('\n');
        }
    }

    private void writeConfigurations(List<FeatureReader.Feature> parsed) throws IOException, MojoExecutionException {
        Path dir = configurationDirectory.toPath();
        Files.createDirectories(dir);
        for (FeatureReader.Feature f : parsed) {
            for (Map.Entry<String, ObjectNode> c : f.configurations().entrySet()) {
                // FileInstall names factory configurations <factoryPid>-<name>.cfg
                String fileName = c.getKey().replace('~', '-') + ".cfg";
                StringBuilder sb = new StringBuilder("# from feature ").append(f.name()).append('\n');
                for (Map.Entry<String, JsonNode> p : c.getValue().properties()) {
                    if (p.getValue().isContainerNode()) {
                        throw new MojoExecutionException("Configuration " + c.getKey() + " of feature " + f.name()
                                + ": property " + p.getKey() + " is not a scalar (.cfg files hold only scalars)");
                    }
                    String key = p.getKey().replaceFirst(":.*$", ""); // drop a spec type suffix like ":Integer"
                    sb.append(escape(key, true)).append('=').append(escape(p.getValue().asText(), false)).append('\n');
                }
                Files.writeString(dir.resolve(fileName), sb.toString(), StandardCharsets.UTF_8);
            }
        }
    }

    /** java.util.Properties escaping, which is what Felix and FileInstall read with. */
    static String escape(String s, boolean key) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\f' -> sb.append("\\f");
                case '=', ':', '#', '!' -> sb.append(key ? "\\" : "").append(ch);
                case ' ' -> sb.append(key || i == 0 ? "\\ " : " ");
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }

    private record ResolvedBundle(FeatureBundle bundle, Path file, String symbolicName) {
    }
}
