package io.charon.jobs.dashboard;

import io.quarkus.qute.Engine;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The dashboard's pages. Each is the same shell for everyone and carries no data: its script
 * reads the API with the token the tab keeps (sessionStorage), so a page needs no token of its
 * own, sets no cookie and holds nothing a cross-site request could use. The pages' strict
 * Content-Security-Policy is set in application.properties.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@PermitAll
public class DashboardPages {

    /** The graph layout library the workflow pages load before their own script (org.webjars.npm:dagre in the pom). */
    static final String DAGRE = "/webjars/dagre/0.8.4/dist/dagre.min.js";

    private final Engine templates;

    public DashboardPages(Engine templates) {
        this.templates = templates;
    }

    /** A page: templates/dashboard/{name}.html in the common layout, with its script assets/js/{name}.js. */
    private TemplateInstance page(String title, String name) {
        return page(title, name, name);
    }

    /** A page whose template serves several pages, each with its own script. */
    private TemplateInstance page(String title, String template, String script) {
        return templates.getTemplate("dashboard/" + template).data("title", title).data("script", script);
    }

    /** A page of one item (a schedule, an inventory, a credential), named in the address and read by its script. */
    private TemplateInstance detail(String title, String script) {
        return page(title, "detail", script);
    }

    /** A page that draws a workflow's graph: the layout library is loaded before the page's script. */
    private TemplateInstance graph(String title, String name) {
        return page(title, name).data("library", DAGRE);
    }

    @GET
    public TemplateInstance overview() {
        return page("Overview", "overview");
    }

    @GET
    @Path("signin")
    public TemplateInstance signIn() {
        return page("Sign in", "signin");
    }

    @GET
    @Path("jobs")
    public TemplateInstance jobs() {
        return page("Jobs", "jobs");
    }

    @GET
    @Path("jobs/{id}")
    public TemplateInstance job(@PathParam("id") String id) {
        // the id is read from the address by the script; the page is the same for every job
        return page("Job", "job");
    }

    @GET
    @Path("launch")
    public TemplateInstance launch() {
        return page("Launch", "launch");
    }

    @GET
    @Path("schedules")
    public TemplateInstance schedules() {
        return page("Schedules", "listing", "schedules");
    }

    @GET
    @Path("schedules/{name}")
    public TemplateInstance schedule(@PathParam("name") String name) {
        return detail("Schedule", "schedule");
    }

    @GET
    @Path("inventories")
    public TemplateInstance inventories() {
        return page("Inventories", "listing", "inventories");
    }

    @GET
    @Path("inventories/{name}")
    public TemplateInstance inventory(@PathParam("name") String name) {
        return detail("Inventory", "inventory");
    }

    @GET
    @Path("credentials")
    public TemplateInstance credentials() {
        return page("Credentials", "listing", "credentials");
    }

    @GET
    @Path("credentials/{name}")
    public TemplateInstance credential(@PathParam("name") String name) {
        return detail("Credential", "credential");
    }

    @GET
    @Path("workflows")
    public TemplateInstance workflows() {
        return page("Workflows", "listing", "workflows");
    }

    @GET
    @Path("workflows/{name}")
    public TemplateInstance workflow(@PathParam("name") String name) {
        return graph("Workflow", "workflow");
    }

    @GET
    @Path("workflow-runs/{id}")
    public TemplateInstance workflowRun(@PathParam("id") String id) {
        return graph("Workflow run", "workflow-run");
    }

    @GET
    @Path("tokens")
    public TemplateInstance tokens() {
        return page("Tokens", "listing", "tokens");
    }

    @GET
    @Path("audit")
    public TemplateInstance audit() {
        return page("Audit", "listing", "audit");
    }
}
