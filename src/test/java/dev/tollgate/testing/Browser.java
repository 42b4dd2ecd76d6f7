package dev.tollgate.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its chromedriver (packages {@code chromium} and
 * {@code chromium-driver}, which the build installs when missing: see src/test/browser/). Nothing
 * is downloaded by the test tooling itself. Screenshots go to {@code target/screenshots/}.
 */
public final class Browser implements AutoCloseable {

    public static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("TOLLGATE_CHROMIUM", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER =
            Path.of(System.getenv().getOrDefault("TOLLGATE_CHROMEDRIVER", "/usr/bin/chromedriver"));

    private final WebDriver driver;
    private final String base;
    private final Path profile;

    private Browser(WebDriver driver, String base, Path profile) {
        this.driver = driver;
        this.base = base;
        this.profile = profile;
    }

    public static Browser open(String base) throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("The browser tests need Debian's chromium and chromium-driver ("
                    + CHROMIUM + ", " + CHROMEDRIVER + "): apt-get install -y chromium chromium-driver, "
                    + "or set TOLLGATE_CHROMIUM / TOLLGATE_CHROMEDRIVER.");
        }
        Path profile = Files.createTempDirectory("tollgate-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, options), base, profile);
    }

    public Browser go(String path) {
        driver.get(base + path);
        return this;
    }

    /** Loads a page from markup (a data: URL), for checking the checkers. */
    public Browser markup(String html) {
        driver.get("data:text/html;charset=utf-8," + java.net.URLEncoder.encode(html, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20"));
        return this;
    }

    public String path() {
        return java.net.URI.create(driver.getCurrentUrl()).getPath();
    }

    public WebElement find(String css) {
        return new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(d -> d.findElement(By.cssSelector(css)));
    }

    public java.util.List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    public String text(String css) {
        return find(css).getText();
    }

    public String title() {
        return driver.getTitle();
    }

    /** Fills in the login form the browser was sent to; the form auth then goes back to the page asked for. */
    public Browser signInHere(String user) {
        find("#username").sendKeys(user);
        find("#password").sendKeys("demo");
        click("button[type=submit]");
        return this;
    }

    public void clearCookies() {
        driver.manage().deleteAllCookies();
    }

    public Object script(String javascript) {
        return ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(javascript);
    }

    public Browser signOut() {
        click("header .who button");
        return this;
    }

    /** Clicks and waits for the next page to load (a form post, a link). */
    public void click(String css) {
        WebElement page = find("html");
        find(css).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> isGone(page));
    }

    /**
     * Whether an element of the previous page is gone. Newer Chromium answers a query on a node of an
     * unloaded document with an inspector error ("does not belong to the document") instead of a stale
     * element reference; both mean the page was replaced.
     */
    private static boolean isGone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (org.openqa.selenium.StaleElementReferenceException stale) {
            return true;
        } catch (org.openqa.selenium.WebDriverException e) {
            if (e.getMessage() != null && e.getMessage().contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    /**
     * Runs axe-core's WCAG 2.1 A and AA rules on the current page and returns the violations, one
     * line each ({@code rule (impact): first offending element}); empty when there are none.
     */
    public java.util.List<String> accessibilityViolations() throws Exception {
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(Axe.script());
        Object result = ((org.openqa.selenium.JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
                   .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): '
                        + v.nodes.length + ' element(s), first ' + v.nodes[0].target.join(' '))))
                   .catch(e => done(['axe failed: ' + e]));""");
        @SuppressWarnings("unchecked")
        java.util.List<String> violations = (java.util.List<String>) result;
        return violations;
    }

    /** Saves a PNG of the visible page as target/screenshots/{name}.png and returns its path. */
    public Path screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path file = SCREENSHOTS.resolve(name + ".png");
        Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        return file;
    }

    public void resize(int width, int height) {
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, height));
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
