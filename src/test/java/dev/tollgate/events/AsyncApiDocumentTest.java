package dev.tollgate.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/asyncapi.yaml describes every event type the code can publish or consume, and every topic. */
class AsyncApiDocumentTest {

    private static final Path DOCUMENT = Path.of(System.getProperty("tollgate.project.dir",
            System.getProperty("user.dir"))).resolve("docs/asyncapi.yaml");

    @Test
    void everyPublishedEventTypeIsDescribed() throws Exception {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(DOCUMENT.toFile());
        assertThat(doc.path("asyncapi").asText()).isEqualTo("3.0.0");
        List<String> described = new ArrayList<>();
        doc.path("components").path("messages").forEach(m -> described.add(m.path("name").asText()));

        List<String> published = new ArrayList<>();
        for (Field field : EventTypes.class.getFields()) {
            String value = (String) field.get(null);
            if (Modifier.isStatic(field.getModifiers()) && value.startsWith(EventTypes.PROMOTION_PREFIX)
                    && !value.equals(EventTypes.PROMOTION_PREFIX)) {
                published.add(value);
            }
        }
        assertThat(described).containsAll(published).contains(EventTypes.AUDIT_CHECKPOINT);
        assertThat(doc.path("channels").path("promotions").path("address").asText()).isEqualTo(EventTypes.PROMOTIONS_TOPIC);
        assertThat(doc.path("channels").path("deployments").path("address").asText()).isEqualTo(EventTypes.DEPLOYMENTS_TOPIC);
        assertThat(doc.path("channels").path("audit").path("address").asText()).isEqualTo(EventTypes.AUDIT_TOPIC);
        assertThat(doc.path("channels").path("signals").path("address").asText()).isEqualTo(EventTypes.SIGNALS_TOPIC);
        assertThat(described).contains(EventTypes.SIGNAL_DRIFT, EventTypes.SIGNAL_PROVIDER);
    }
}
