package io.enigm.server.it;

import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;

/** The membership scenario again, on a node that keeps its data in a real PostgreSQL. */
public class MembershipScenarioPostgresIT extends MembershipScenarioIT {

    @Configuration
    @Override
    public Option[] configuration() {
        return FeatureOptions.onPostgres(FeatureOptions.temporaryHome(), Api.freePort());
    }
}
