package io.enigm.server.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI 3 document, generated from the route table so it cannot drift from what the server
 * answers. Schemas and shared parameters are written by hand in {@code openapi-components.json}.
 */
final class OpenApiDocument {

    private OpenApiDocument() {
    }

    /**
     * @param componentResources resource files beside this class, each with {@code schemas} and
     *                           {@code parameters} objects, and optionally {@code problems}: per
     *                           operation ({@code "PATCH /environments/{env}"}), the domain's refusals
     *                           (status → description, e.g. 409, 429) that the route table cannot know;
     *                           one file per area of the API
     */
    static ObjectNode build(List<Route> routes, ObjectMapper json, String version, List<String> componentResources) {
        ObjectNode document = json.createObjectNode();
        document.put("openapi", "3.0.3");
        document.putObject("info")
                .put("title", "Enigm Server Command and app API")
                .put("version", version)
                .put("description", "Administration of private environments and the app's access. Errors are"
                        + " RFC 9457 problem documents.");
        document.putArray("servers").addObject().put("url", ApiContext.PATH);
        ObjectNode paths = document.putObject("paths");
        for (Route route : routes) {
            ObjectNode path = paths.has(route.template()) ? (ObjectNode) paths.get(route.template())
                    : paths.putObject(route.template());
            path.set(route.method().toLowerCase(java.util.Locale.ROOT), operation(route, json));
        }
        for (String resource : componentResources) {
            domainProblems(paths, read(json, resource).path("problems"));
        }
        ObjectNode components = components(json, componentResources);
        ObjectNode schemes = components.putObject("securitySchemes");
        schemes.putObject(CallerProof.ADMIN_TOKEN.scheme)
                .put("type", "http").put("scheme", "bearer")
                .put("description", "An admin token: opaque, shown once when minted.");
        schemes.putObject(CallerProof.SESSION_TOKEN.scheme)
                .put("type", "http").put("scheme", "bearer")
                .put("description", "A device session's token, from opening the session. Renewing the session"
                        + " also carries the device's signature over a fresh nonce in the body.");
        schemes.putObject(CallerProof.DEVICE_SIGNATURE_HEADER.scheme)
                .put("type", "apiKey").put("in", "header").put("name", JoinRequestRoutes.SIGNATURE_HEADER)
                .put("description", "<unix seconds>.<Base64 Ed25519 signature by the requesting device's key over"
                        + " enigm-join-v1\\n<request id>\\n<method>\\n<unix seconds>>");
        document.set("components", components);
        return document;
    }

    private static ObjectNode operation(Route route, ObjectMapper json) {
        Route.Operation operation = route.operation();
        ObjectNode node = json.createObjectNode();
        node.put("operationId", route.action());
        node.put("summary", operation.summary());
        ArrayNode parameters = json.createArrayNode();
        for (String segment : route.segments()) {
            if (segment.startsWith("{")) {
                parameters.addObject()
                        .put("name", segment.substring(1, segment.length() - 1))
                        .put("in", "path").put("required", true)
                        .putObject("schema").put("type", "string");
            }
        }
        for (String query : operation.queryParameters()) {
            parameters.addObject().put("$ref", "#/components/parameters/" + query);
        }
        if (!parameters.isEmpty()) {
            node.set("parameters", parameters);
        }
        if (operation.requestSchema() != null) {
            node.putObject("requestBody").put("required", true).putObject("content")
                    .putObject(operation.requestType()).putObject("schema")
                    .put("$ref", "#/components/schemas/" + operation.requestSchema());
        }
        CallerProof proof = route.access().proof();
        ArrayNode security = node.putArray("security");
        if (proof.scheme != null) {
            security.addObject().putArray(proof.scheme);
        }
        if (route.access().admitsSession()) {
            security.addObject().putArray(CallerProof.SESSION_TOKEN.scheme);
        }
        if (proof.inBody != null) {
            node.put("x-enigm-proof", proof.inBody);
        }
        if (route.access().isAdministrative()) {
            ArrayNode roles = node.putArray("x-enigm-roles");
            route.access().roles().stream().map(Enum::name).sorted().forEach(roles::add);
            node.put("x-enigm-scope", route.access().scope().name());
        }
        ObjectNode responses = node.putObject("responses");
        ObjectNode success = responses.putObject(Integer.toString(operation.status()))
                .put("description", operation.summary());
        if (operation.responseSchema() != null) {
            success.putObject("content").putObject(operation.responseType()).putObject("schema")
                    .put("$ref", "#/components/schemas/" + operation.responseSchema());
        } else if (operation.status() != 204) {
            success.putObject("content").putObject("application/json").putObject("schema").put("type", "object");
        }
        boolean takesInput = operation.requestSchema() != null || !operation.queryParameters().isEmpty();
        if (takesInput) {
            problem(responses, 400, "Malformed JSON, wrong types, unknown fields or bad parameters");
        }
        if (route.access().isAdministrative()) {
            problem(responses, 401, "No token, or a bad, expired or revoked one");
            problem(responses, 403, "The token's role may not do this");
        }
        if (route.template().contains("{")) {
            problem(responses, 404, "Not found, or not visible to the caller");
        }
        if (operation.requestSchema() != null) {
            problem(responses, 413, "The body is larger than the configured limit");
            problem(responses, 415, "The body is not " + operation.requestType());
        }
        if (takesInput) {
            problem(responses, 422, "Well-formed input that breaks a rule; 'field' names it");
        }
        return node;
    }

    private static void problem(ObjectNode responses, int status, String description) {
        responses.putObject(Integer.toString(status)).put("description", description)
                .putObject("content").putObject("application/problem+json").putObject("schema")
                .put("$ref", "#/components/schemas/Problem");
    }

    /** Adds each listed refusal to its operation; one naming no served operation is a mistake. */
    private static void domainProblems(ObjectNode paths, com.fasterxml.jackson.databind.JsonNode problems) {
        problems.fields().forEachRemaining(entry -> {
            String[] endpoint = entry.getKey().split(" ", 2);
            com.fasterxml.jackson.databind.JsonNode operation = paths.path(endpoint[endpoint.length - 1])
                    .path(endpoint[0].toLowerCase(java.util.Locale.ROOT));
            if (!(operation.path("responses") instanceof ObjectNode responses)) {
                throw new IllegalStateException("OpenAPI problems for an operation that is not served: "
                        + entry.getKey());
            }
            entry.getValue().fields().forEachRemaining(problem ->
                    problem(responses, Integer.parseInt(problem.getKey()), problem.getValue().asText()));
        });
    }

    private static ObjectNode read(ObjectMapper json, String resource) {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing OpenAPI components " + resource);
            }
            return (ObjectNode) json.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode components(ObjectMapper json, List<String> resources) {
        ObjectNode components = json.createObjectNode();
        ObjectNode schemas = components.putObject("schemas");
        ObjectNode parameters = components.putObject("parameters");
        for (String resource : resources) {
            ObjectNode part = read(json, resource);
            if (part.has("schemas")) {
                schemas.setAll((ObjectNode) part.get("schemas"));
            }
            if (part.has("parameters")) {
                parameters.setAll((ObjectNode) part.get("parameters"));
            }
        }
        return components;
    }
}
