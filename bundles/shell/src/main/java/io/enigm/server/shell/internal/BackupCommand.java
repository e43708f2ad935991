package io.enigm.server.shell.internal;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import io.enigm.server.backup.BackupTool;

/**
 * {@code enigm:backup DIR [--with-secrets]}: a consistent online copy of this server's data home into
 * {@code DIR}, by the distribution's backup tool ({@code tools/backup}, whose package bnd copies into
 * this bundle), run in this process with the same command line as {@code enigm-server backup}: the
 * database by {@code VACUUM INTO}, the blobs it names, the configuration, and {@code secrets/} only
 * with {@code --with-secrets}, announced loudly.
 */
@Component(service = BackupCommand.class, property = {
        CommandProcessor.COMMAND_SCOPE + "=" + EnvironmentsCommand.SCOPE,
        CommandProcessor.COMMAND_FUNCTION + "=backup"})
public final class BackupCommand implements Function {

    /** The launcher's framework property naming the data home (the store's). */
    static final String HOME = "enigm.home";
    /** The launcher's framework property naming a PostgreSQL database the store uses instead of SQLite. */
    static final String DATABASE_URL = "enigm.database.url";
    static final String ON_POSTGRES = "this installation keeps its data in PostgreSQL: back the database up with"
            + " PostgreSQL's own tools (pg_dump, pg_basebackup) and keep a copy of secrets/ apart"
            + " (docs/operations.md, \"Several nodes on PostgreSQL\")";
    static final String USAGE = "usage: enigm:backup DIR [--with-secrets]   (DIR: an absolute path, new or empty;"
            + " the server does not know the shell's working directory)";

    private final Path home;
    private final boolean onPostgres;

    @Activate
    public BackupCommand(BundleContext context) {
        String property = context.getProperty(HOME);
        if (property == null || property.isBlank()) {
            throw new IllegalStateException("framework property " + HOME + " is not set");
        }
        this.home = Path.of(property).toAbsolutePath();
        String url = context.getProperty(DATABASE_URL);
        this.onPostgres = url != null && !url.isBlank();
    }

    @Override
    public Object execute(CommandSession session, List<Object> arguments) {
        if (onPostgres) {
            throw new IllegalStateException(ON_POSTGRES);
        }
        List<String> toolArguments = toolArguments(home, arguments.stream().map(String::valueOf).toList());
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        int exit;
        try (PrintStream out = new PrintStream(said, true, StandardCharsets.UTF_8)) {
            exit = BackupTool.run(toolArguments, out);
        }
        String output = said.toString(StandardCharsets.UTF_8);
        if (exit != 0) {
            throw new IllegalStateException(output.strip());
        }
        return output;
    }

    /** The backup tool's command line for this home; a wrong shell command line is refused with the usage. */
    static List<String> toolArguments(Path home, List<String> arguments) {
        List<String> directories = arguments.stream().filter(argument -> !argument.equals("--with-secrets")).toList();
        if (directories.size() != 1 || arguments.size() > 2 || !Path.of(directories.get(0)).isAbsolute()) {
            throw new IllegalArgumentException(USAGE);
        }
        List<String> command = new ArrayList<>(List.of("backup", "--home", home.toString(), "--to",
                Path.of(directories.get(0)).normalize().toString()));
        if (arguments.size() == 2) {
            command.add("--with-secrets");
        }
        return command;
    }
}
