package io.enigm.server.configuration.internal;

import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * Checks a configuration against the metatype its bundle declares for the PID: no key it does not
 * declare, and each value's type, range and options. Says which key is wrong and why, never the
 * value (it may be a secret).
 */
final class MetatypeCheck {

    private final BundleContext context;
    private final MetaTypeService metatype;

    MetatypeCheck(BundleContext context, MetaTypeService metatype) {
        this.context = context;
        this.metatype = metatype;
    }

    /** Why {@code properties} are not a valid configuration of {@code pid}, if they are not. */
    Optional<String> problem(String pid, Dictionary<String, Object> properties) {
        ObjectClassDefinition definition = definition(pid);
        if (definition == null) {
            return Optional.empty();
        }
        Set<String> known = new HashSet<>();
        for (AttributeDefinition attribute : definition.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
            known.add(attribute.getID());
        }
        for (String key : Collections.list(properties.keys())) {
            if (!known.contains(key) && !Settings.isBookKeeping(key)) {
                // a misspelt setting, or a DS reference's .target filter that would leave a component unsatisfied
                return Optional.of(key + " is not a setting of " + pid);
            }
        }
        for (AttributeDefinition attribute : definition.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
            Object value = properties.get(attribute.getID());
            if (value == null) {
                continue;
            }
            for (Object element : elements(value)) {
                String problem = attribute.validate(String.valueOf(element));
                if (problem != null && !problem.isEmpty()) {
                    return Optional.of(attribute.getID() + " (" + attribute.getName() + "): " + problem);
                }
            }
        }
        return Optional.empty();
    }

    private ObjectClassDefinition definition(String pid) {
        for (Bundle bundle : context.getBundles()) {
            MetaTypeInformation information = metatype.getMetaTypeInformation(bundle);
            if (information != null && Arrays.asList(information.getPids()).contains(pid)) {
                return information.getObjectClassDefinition(pid, null);
            }
        }
        return null;
    }

    private static List<?> elements(Object value) {
        if (value.getClass().isArray()) {
            return java.util.stream.IntStream.range(0, Array.getLength(value)).mapToObj(i -> Array.get(value, i))
                    .toList();
        }
        if (value instanceof Collection<?> collection) {
            return List.copyOf(collection);
        }
        return List.of(value);
    }
}
