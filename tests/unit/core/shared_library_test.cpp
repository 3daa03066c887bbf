#include "instctl/core/shared_library.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "instctl/core/error.hpp"
#include "test_support.hpp"

namespace instctl {

TEST(SharedLibrary, AMissingLibraryNamesThePackageToInstall) {
  const auto msg =
      test::message_of([] { SharedLibrary("libinstctl-none.so.9", "testing needs it", "pkg-x"); });
  EXPECT_NE(msg.find("cannot load libinstctl-none.so.9"), std::string::npos) << msg;
  EXPECT_NE(msg.find("testing needs it"), std::string::npos) << msg;
  EXPECT_NE(msg.find("install the Debian package pkg-x"), std::string::npos) << msg;
}

TEST(SharedLibrary, BindsFunctionsAndRefusesMissingOnes) {
  const SharedLibrary libc("libc.so.6", "testing", "libc6");
  std::size_t (*len)(const char*) = nullptr;
  libc.bind(len, "strlen");
  ASSERT_NE(len, nullptr);
  EXPECT_EQ(len("four"), 4U);
  void (*none)() = nullptr;
  try {
    libc.bind(none, "instctl_no_such_function");
    FAIL() << "bound a function that does not exist";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("has no instctl_no_such_function"), std::string::npos);
  }
}

}  // namespace instctl
