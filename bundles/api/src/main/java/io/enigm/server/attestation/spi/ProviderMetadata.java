package io.enigm.server.attestation.spi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * What a provider is, stated once, as the properties of its {@link AttestationProvider} service: the
 * server selects and lists providers by these properties alone, without calling provider code. On a
 * Declarative Services component, annotate the class:
 *
 * <pre>
 * &#64;Component(service = AttestationProvider.class)
 * &#64;ProviderMetadata(type = "acme-token", name = "Acme token", version = "1.0.0",
 *         category = SignalCategory.HARDWARE_KEY)
 * </pre>
 *
 * A provider registered by hand gives the same four properties under {@link #TYPE}, {@link #NAME},
 * {@link #VERSION} and {@link #CATEGORY} (the category as its constant's name). A service without
 * all four, or with a category that is not a {@link SignalCategory}, is ignored.
 *
 * @since 2.0
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface ProviderMetadata {

    /** The prefix of every property name; read by Declarative Services. */
    String PREFIX_ = "enigm.attestation.";

    /** The service property carrying {@link #type()}. */
    String TYPE = PREFIX_ + "type";
    /** The service property carrying {@link #name()}. */
    String NAME = PREFIX_ + "name";
    /** The service property carrying {@link #version()}. */
    String VERSION = PREFIX_ + "version";
    /** The service property carrying the name of {@link #category()}. */
    String CATEGORY = PREFIX_ + "category";

    /** Stable identifier used in evidence maps and API paths, e.g. {@code enigm-key}. */
    String type();

    /** Human-readable name, e.g. "Enigm Key hardware token". */
    String name();

    /** The provider's version, shown to operators. */
    String version();

    /** The category of every signal this provider gives. */
    SignalCategory category();
}
