package io.enigm.server.shell.internal;

import java.util.Arrays;

import org.apache.felix.service.command.Converter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Turns a bundle's id or symbolic name typed in the shell into the bundle, so that Gogo's basic
 * commands that take bundles ({@code felix:stop 50}, {@code headers io.enigm.server.http}) work. Gogo's
 * command bundle brings no such converter (its shell bundle does, with a console on the server's
 * standard input, which this server does not want).
 */
@Component(service = Converter.class, property = Converter.CONVERTER_CLASSES + "=org.osgi.framework.Bundle")
public final class BundleConverter implements Converter {

    private final BundleContext context;

    @Activate
    public BundleConverter(BundleContext context) {
        this.context = context;
    }

    @Override
    public Object convert(Class<?> desired, Object in) {
        if (desired != Bundle.class || !(in instanceof CharSequence || in instanceof Number)) {
            return null;
        }
        String typed = in.toString().trim();
        if (typed.matches("\\d{1,18}")) {
            return context.getBundle(Long.parseLong(typed));
        }
        return Arrays.stream(context.getBundles()).filter(bundle -> typed.equals(bundle.getSymbolicName()))
                .findFirst().orElse(null);
    }

    @Override
    public CharSequence format(Object target, int level, Converter escape) {
        if (!(target instanceof Bundle bundle) || level == INSPECT) {
            return null; // Gogo's own inspection shows a bundle's properties in detail
        }
        return bundle.getSymbolicName() + " [" + bundle.getBundleId() + "]";
    }
}
