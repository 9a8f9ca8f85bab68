// Boost.Asio, Asio's SSL support and Beast compiled once, here
// (BOOST_ASIO_SEPARATE_COMPILATION and BOOST_BEAST_SEPARATE_COMPILATION are
// defined on the server target), so that other files only see declarations
// and an incremental build of one file stays in seconds.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
