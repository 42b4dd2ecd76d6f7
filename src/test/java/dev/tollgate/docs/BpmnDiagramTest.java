package dev.tollgate.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import dev.tollgate.web.BpmnDiagram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** The process picture in the docs is generated from the BPMN file; these tests keep the committed copy in step. */
class BpmnDiagramTest {

    private static final Path PROJECT =
            Path.of(System.getProperty("tollgate.project.dir", System.getProperty("user.dir")));
    private static Path bpmn(String process) {
        return PROJECT.resolve("src/main/resources/processes/" + process + ".bpmn");
    }

    private static Path picture(String process) {
        return PROJECT.resolve("docs/images/" + process + ".svg");
    }
    private static final String MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL";
    private static final Set<String> FLOW_NODES = Set.of(
            "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent",
            "task", "serviceTask", "userTask", "businessRuleTask", "scriptTask", "sendTask", "receiveTask",
            "manualTask", "callActivity", "subProcess",
            "exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway", "complexGateway");

    @ParameterizedTest
    @ValueSource(strings = {"promotion", "rollback", "reevaluation"})
    void committedPictureMatchesTheBpmn(String process) throws Exception {
        Path bpmnFile = bpmn(process);
        Path pictureFile = picture(process);
        String svg = BpmnDiagram.toSvg(bpmnFile);
        assertThat(BpmnDiagram.toSvg(bpmnFile)).as("the same BPMN renders to the same bytes").isEqualTo(svg);
        // Surefire passes -D properties of the mvn command line to the test JVM; the environment variable works
        // wherever the test runs (IDE, a differently configured fork).
        if (Boolean.getBoolean("tollgate.docs.regenerate")
                || "true".equalsIgnoreCase(System.getenv("TOLLGATE_DOCS_REGENERATE"))) {
            Files.createDirectories(pictureFile.getParent());
            Files.writeString(pictureFile, svg, StandardCharsets.UTF_8);
            return;
        }
        // Line endings are the checkout's business (core.autocrlf), not a difference in the picture.
        String committed = Files.exists(pictureFile)
                ? Files.readString(pictureFile, StandardCharsets.UTF_8).replace("\r\n", "\n") : null;
        if (!svg.equals(committed)) {
            fail("%s is %s %s. Regenerate it and commit the result:%n"
                            + "  TOLLGATE_DOCS_REGENERATE=true mvn -q test -Dtest=BpmnDiagramTest%n"
                            + "(or: mvn -q test -Dtest=BpmnDiagramTest -Dtollgate.docs.regenerate=true)",
                    PROJECT.relativize(pictureFile), committed == null ? "missing; it is drawn from" : "out of date with",
                    PROJECT.relativize(bpmnFile));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"promotion", "rollback", "reevaluation"})
    void everyFlowNodeOfTheProcessIsDrawn(String process) throws Exception {
        Path bpmnFile = bpmn(process);
        Element processElement = (Element) parse(Files.readString(bpmnFile, StandardCharsets.UTF_8))
                .getElementsByTagNameNS(MODEL, "process").item(0);
        List<String> flowNodes = new ArrayList<>();
        NodeList elements = processElement.getElementsByTagNameNS(MODEL, "*");
        for (int i = 0; i < elements.getLength(); i++) {
            Element e = (Element) elements.item(i);
            if (FLOW_NODES.contains(e.getLocalName())) flowNodes.add(e.getAttribute("id"));
        }
        assertThat(flowNodes).isNotEmpty();

        List<String> drawn = new ArrayList<>();
        NodeList svgElements = parse(BpmnDiagram.toSvg(bpmnFile)).getElementsByTagName("*");
        for (int i = 0; i < svgElements.getLength(); i++) {
            Element e = (Element) svgElements.item(i);
            if (e.hasAttribute("data-node-id")) drawn.add(e.getAttribute("data-node-id"));
        }
        assertThat(drawn).as("data-node-id of the SVG groups").containsExactlyInAnyOrderElementsOf(flowNodes);
    }

    @Test
    void textIsEscaped(@TempDir Path dir) throws Exception {
        Path bpmn = dir.resolve("tiny.bpmn");
        Files.writeString(bpmn, """
                <?xml version="1.0" encoding="UTF-8"?>
                <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
                    xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
                    xmlns:dc="http://www.omg.org/spec/DD/20100524/DC">
                  <process id="tiny" name="Tiny &amp; small">
                    <startEvent id="s" name="a &lt; b &amp; &quot;c&quot;"/>
                  </process>
                  <bpmndi:BPMNDiagram>
                    <bpmndi:BPMNPlane bpmnElement="tiny">
                      <bpmndi:BPMNShape bpmnElement="s">
                        <dc:Bounds x="0" y="0" width="36" height="36"/>
                      </bpmndi:BPMNShape>
                    </bpmndi:BPMNPlane>
                  </bpmndi:BPMNDiagram>
                </definitions>
                """, StandardCharsets.UTF_8);

        String svg = BpmnDiagram.toSvg(bpmn);

        assertThat(svg).contains("a &lt; b &amp; &quot;c&quot;").contains(">Tiny &amp; small</title>");
        Document parsed = parse(svg);
        assertThat(parsed.getDocumentElement().getTextContent()).contains("a < b & \"c\"");
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }
}
