package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.o11ycdk.test.support.CdkJson;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java snippet of the README compiles as written, against this build's library: each is a
 * whole source file (package, imports and all), as a reader would paste it into their own project.
 */
class ReadmeSnippetsTest {
    private static final Pattern BLOCK = Pattern.compile("(?m)^( *)```java\\n(.*?)^\\1```", Pattern.DOTALL);
    private static final Pattern TYPE = Pattern.compile("(?m)^(?:public |final |abstract )*(?:class|interface|record|enum) (\\w+)");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package ([\\w.]+);");

    static List<String> snippets(String markdown) {
        List<String> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(markdown);
        while (m.find()) {
            String indent = m.group(1);
            out.add(m.group(2).lines().map(l -> l.startsWith(indent) ? l.substring(indent.length()) : l)
                    .reduce("", (a, b) -> a + b + "\n"));
        }
        return out;
    }

    @Test
    void everyJavaSnippetOfTheReadmeCompiles(@TempDir Path dir) throws IOException {
        List<String> snippets = snippets(Files.readString(CdkJson.repoRoot().resolve("README.md")));
        assertThat(snippets).as("java snippets in README.md").hasSizeGreaterThanOrEqualTo(4);
        List<File> sources = new ArrayList<>();
        for (int i = 0; i < snippets.size(); i++) {
            String s = snippets.get(i);
            Matcher type = TYPE.matcher(s);
            assertThat(type.find()).as("snippet %d declares a class:\n%s", i, s).isTrue();
            Matcher pkg = PACKAGE.matcher(s);
            // Each snippet in a package of its own unless it names one: two snippets may share a class name.
            Path where = dir.resolve(pkg.find() ? pkg.group(1).replace('.', '/') : "snippet" + i);
            String source = pkg.reset().find() ? s : "package snippet" + i + ";\n\n" + s;
            Path file = Files.createDirectories(where).resolve(type.group(1) + ".java");
            Files.writeString(file, source);
            sources.add(file.toFile());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        StringWriter diagnostics = new StringWriter();
        List<String> args = List.of("-classpath", classpath, "-d", dir.resolve("classes").toString(), "-Xlint:all", "-Werror");
        boolean ok = javac.getTask(diagnostics, null, null, args, null,
                javac.getStandardFileManager(null, null, null).getJavaFileObjectsFromFiles(sources)).call();
        assertThat(ok).as("javac on the README's snippets:\n" + diagnostics).isTrue();
    }

    @Test
    void theExtractorSeesIndentedAndTopLevelBlocks() {
        String md = "text\n```java\nclass A {}\n```\n- item\n\n  ```java\n  class B {}\n  ```\n```bash\nls\n```\n";
        assertThat(snippets(md)).containsExactly("class A {}\n", "class B {}\n");
    }
}
