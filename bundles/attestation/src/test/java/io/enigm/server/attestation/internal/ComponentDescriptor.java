package io.enigm.server.attestation.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The service properties a Declarative Services component declares, read from the descriptor bnd
 * wrote for it ({@code OSGI-INF/<class name>.xml}), as the framework would register them. Single
 * string properties only: what provider metadata needs.
 */
final class ComponentDescriptor {

    private ComponentDescriptor() {
    }

    static Map<String, Object> properties(Class<?> component) {
        String name = "OSGI-INF/" + component.getName() + ".xml";
        try (InputStream descriptor = component.getClassLoader().getResourceAsStream(name)) {
            if (descriptor == null) {
                throw new IllegalArgumentException("no component descriptor " + name + "; is bnd run before the tests?");
            }
            NodeList declared = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(descriptor)
                    .getElementsByTagName("property");
            Map<String, Object> properties = new HashMap<>();
            for (int i = 0; i < declared.getLength(); i++) {
                Element property = (Element) declared.item(i);
                properties.put(property.getAttribute("name"), property.getAttribute("value"));
            }
            return properties;
        } catch (IOException | ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("unreadable component descriptor " + name, e);
        }
    }
}
