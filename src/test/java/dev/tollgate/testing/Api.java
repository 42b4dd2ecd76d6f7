package dev.tollgate.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/** REST Assured shortcuts for acting as one of the demo users of contract.md (password "demo"). */
public final class Api {

    private Api() {
    }

    public static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, "demo").accept(ContentType.JSON);
    }

    public static RequestSpecification anonymous() {
        return given().accept(ContentType.JSON);
    }

    /** Submits as {@code user} and returns the response for assertions. */
    public static ValidatableResponse submit(String user, String body) {
        return as(user).contentType(ContentType.JSON).body(body).post("/api/v1/candidates").then();
    }

    /** Submits as {@code user}, expects 201 and returns the new candidate's id. */
    public static String submitted(String user, String body) {
        return submit(user, body).statusCode(201).extract().path("id");
    }

    public static String stageOf(String candidateId) {
        return as("audrey").get("/api/v1/candidates/" + candidateId).then().statusCode(200).extract().path("stage");
    }

    public static String taskOf(String candidateId) {
        return as("audrey").get("/api/v1/candidates/" + candidateId).then().statusCode(200)
                .extract().path("approvals.taskId");
    }

    public static ValidatableResponse decide(String user, String taskId, String decision, String comment) {
        String body = comment == null
                ? "{\"decision\": \"" + decision + "\"}"
                : "{\"decision\": \"" + decision + "\", \"comment\": \"" + comment + "\"}";
        return as(user).contentType(ContentType.JSON).body(body)
                .post("/api/v1/approvals/" + taskId + "/decision").then();
    }
}
