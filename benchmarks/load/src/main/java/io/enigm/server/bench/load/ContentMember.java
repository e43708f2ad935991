package io.enigm.server.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One member's device with a session in a new environment, for a benchmark that drives the content
 * routes with another client (curl): prints the environment's id and the session token on one line.
 *
 * <pre>
 * ContentMember BASE_URL OWNER_TOKEN_FILE
 * </pre>
 */
public final class ContentMember {

    private ContentMember() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: BASE_URL OWNER_TOKEN_FILE");
        }
        ContentMembers members = new ContentMembers(new ApiClient(args[0]), Files.readString(Path.of(args[1])).strip());
        ContentMembers.Environment environment = members.environment("Content member");
        List<String> sessions = members.sessions(environment, 1, 1);
        System.out.println(environment.id() + " " + sessions.get(0));
    }
}
